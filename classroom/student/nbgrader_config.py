"""A student's nbgrader: fetch and submit through the class exchange; nothing else."""
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = os.environ.get("NUKEDU_COURSE_ID", "nukedu")
c.Exchange.root = os.environ.get("NUKEDU_EXCHANGE", "/srv/nbgrader/exchange")
