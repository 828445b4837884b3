import { expect, it } from 'vitest';
import { formatFields, formatTable } from '../../../cli/connectors/text-table.js';

it('aligns columns two spaces apart without trailing blanks', () => {
  expect(formatTable(['ID', 'STATE', 'NOTE'], [['0', 'RUNNING', ''], ['10', 'FAILED', 'boom']]))
    .toBe('ID  STATE    NOTE\n0   RUNNING\n10  FAILED   boom\n');
});

it('keeps each row on one line when a cell holds line breaks', () => {
  expect(formatTable(['A', 'B'], [['x\ny', 'z']])).toBe('A    B\nx y  z\n');
});

it('aligns the values of labelled fields', () => {
  expect(formatFields([['Name', 'c'], ['State', 'RUNNING']])).toBe('Name:   c\nState:  RUNNING\n');
});
