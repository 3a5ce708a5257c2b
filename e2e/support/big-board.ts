// The stress tier's board, shared with the benchmark that times the timeline over its trace.
export { pl061Board } from '../../bench/gpio-farm'
