"""The old admin pages, deleted in #77."""


def page():
    print("legacy page")
    print("legacy footer")
