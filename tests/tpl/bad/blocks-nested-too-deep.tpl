{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{#if cluster.name}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
{{/if}}
