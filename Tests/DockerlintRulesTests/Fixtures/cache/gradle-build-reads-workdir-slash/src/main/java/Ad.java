class Ad {}
