"""The instructor's nbgrader: the course folder built by `nukedu assignment build`, the class exchange."""
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = os.environ.get("NUKEDU_COURSE_ID", "nukedu")
c.CourseDirectory.root = os.path.expanduser("~/course")
c.Exchange.root = os.environ.get("NUKEDU_EXCHANGE", "/srv/nbgrader/exchange")
