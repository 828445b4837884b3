/**
 * The logging options of the commands that run until stopped (start, broker, worker,
 * schema-registry, mirror-maker), declared once and spread into each command's options.
 */
import type { OptionValues } from '../command-line/command-spec.js';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const LOG_OPTIONS = {
  'log-level': {
    type: 'string', valueName: 'LEVEL', choices: LOG_LEVELS, env: 'FERRY_LOG_LEVEL', defaultDescription: '$FERRY_LOG_LEVEL, else info',
    description: 'the least severe level logged',
  },
  'log-format': {
    type: 'string', valueName: 'FORMAT', choices: LOG_FORMATS, env: 'FERRY_LOG_FORMAT', default: 'auto',
    description: 'pretty: readable lines; json: a JSON object a line; auto: pretty when standard output is a terminal, else json',
  },
} as const;

export type LogOptionValues = OptionValues<typeof LOG_OPTIONS>;
