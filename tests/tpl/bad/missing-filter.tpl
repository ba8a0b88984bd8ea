{{ cluster.name | }}
