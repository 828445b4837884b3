/** The monitoring widgets the overview and connector pages mount. */
export { LagPanel } from './lag-panel.js';
export { LagSummary } from './lag-summary.js';
export { ThroughputChart } from './throughput-chart.js';
export { ThroughputCell } from './throughput-cell.js';
