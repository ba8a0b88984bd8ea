{{#if cluster.name}}a{{else}}b{{else}}c{{/if}}
