/**
 * Composable index templates (`PUT /_index_template/<name>`) and component templates
 * (`PUT /_component_template/<name>`): https://www.elastic.co/guide/en/elasticsearch/reference/current/index-templates.html
 * A new index or data stream takes the matching template with the highest `priority`; a template with
 * `data_stream: {}` makes matching names data streams. Elasticsearch 8 and 9 ship templates for
 * `logs-*-*` and `metrics-*-*` (priority 100) that create data streams
 * (https://www.elastic.co/guide/en/elasticsearch/reference/current/data-streams.html); OpenSearch does not.
 */
import { EsError, illegalArgument } from './errors.js';
import { mergeMappings, validateMappings, type Mappings } from './mapping.js';

export interface IndexTemplate {
  index_patterns: string[];
  priority?: number;
  data_stream?: Record<string, unknown>;
  composed_of?: string[];
  template?: { mappings?: Mappings; settings?: Record<string, unknown>; aliases?: Record<string, unknown> };
  _meta?: Record<string, unknown>;
  version?: number;
}

export interface ComponentTemplate {
  template: { mappings?: Mappings; settings?: Record<string, unknown> };
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

export class TemplateRegistry {
  readonly indexTemplates = new Map<string, IndexTemplate>();
  readonly componentTemplates = new Map<string, ComponentTemplate>();

  constructor(builtIns: boolean) {
    if (builtIns) {
      const timestamped: Mappings = { properties: { '@timestamp': { type: 'date' } } };
      this.indexTemplates.set('logs', { index_patterns: ['logs-*-*'], priority: 100, data_stream: { hidden: false, allow_custom_routing: false }, template: { mappings: timestamped }, _meta: { managed: true } });
      this.indexTemplates.set('metrics', { index_patterns: ['metrics-*-*'], priority: 100, data_stream: { hidden: false, allow_custom_routing: false }, template: { mappings: timestamped }, _meta: { managed: true } });
    }
  }

  putIndexTemplate(name: string, body: unknown): void {
    if (typeof body !== 'object' || body === null) throw new EsError(400, 'parse_exception', 'request body is required');
    const template = body as IndexTemplate;
    const patterns = typeof template.index_patterns === 'string' ? [template.index_patterns] : template.index_patterns;
    if (!Array.isArray(patterns) || patterns.length === 0) {
      throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: index patterns are missing;');
    }
    if (template.template?.mappings !== undefined) validateMappings(template.template.mappings);
    for (const component of template.composed_of ?? []) {
      if (!this.componentTemplates.has(component)) {
        throw new EsError(400, 'invalid_index_template_exception', `index_template [${name}] invalid, cause [index template [${name}] specifies component templates [${component}] that do not exist]`);
      }
    }
    const priority = template.priority ?? 0;
    for (const [other, existing] of this.indexTemplates) {
      if (other === name || (existing.priority ?? 0) !== priority) continue;
      const overlap = patterns.filter((p) => existing.index_patterns.some((q) => globToRegExp(q).test(p) || globToRegExp(p).test(q)));
      if (overlap.length > 0) {
        throw illegalArgument(`index template [${name}] has index patterns ${JSON.stringify(patterns)} matching patterns from existing templates [${other}] with patterns (${other} => ${JSON.stringify(existing.index_patterns)}) that have the same priority [${priority}], multiple index templates may not match during index creation, please use a different priority`);
      }
    }
    this.indexTemplates.set(name, { ...template, index_patterns: patterns });
  }

  putComponentTemplate(name: string, body: unknown): void {
    const component = body as ComponentTemplate | null;
    if (component === null || typeof component !== 'object' || typeof component.template !== 'object') {
      throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: template is missing;');
    }
    if (component.template.mappings !== undefined) validateMappings(component.template.mappings);
    this.componentTemplates.set(name, component);
  }

  /** The template a new index or data stream called `name` takes, if any. */
  match(name: string): { name: string; template: IndexTemplate } | undefined {
    let best: { name: string; template: IndexTemplate } | undefined;
    for (const [templateName, template] of this.indexTemplates) {
      if (!template.index_patterns.some((p) => globToRegExp(p).test(name))) continue;
      if (best === undefined || (template.priority ?? 0) > (best.template.priority ?? 0)) best = { name: templateName, template };
    }
    return best;
  }

  /** Mappings of a template: its component templates in order, then its own. */
  mappingsOf(template: IndexTemplate): Mappings {
    let mappings: Mappings = {};
    for (const component of template.composed_of ?? []) {
      const found = this.componentTemplates.get(component)?.template.mappings;
      if (found !== undefined) mappings = mergeMappings(mappings, found);
    }
    if (template.template?.mappings !== undefined) mappings = mergeMappings(mappings, template.template.mappings);
    return mappings;
  }
}
