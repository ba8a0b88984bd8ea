{{ cluster.name | jsno }}
{{ cluster.name | default }}
