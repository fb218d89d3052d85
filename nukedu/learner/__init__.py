"""A learner's progress: the store on disk, resuming cards, spaced repetition and the dashboard.

Pure core: nothing here imports widgets; the cards call `recorder.record` and
`recorder.restore` when they are made (see `nukedu.widgets.card`).
"""
