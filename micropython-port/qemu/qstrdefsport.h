// qstrs specific to this board (none: all are extracted from the sources)
