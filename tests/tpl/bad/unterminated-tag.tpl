ok {{ cluster.name
still open
