a
{{#each cluster.subnets as s}}
{{ s }}
