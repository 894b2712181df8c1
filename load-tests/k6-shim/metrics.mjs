// `k6/metrics`: custom metrics record their values under their names.
import { recordMetric } from './state.mjs';

class Metric {
  constructor(name) {
    this.name = name;
  }

  add(value) {
    recordMetric(this.name, Number(value));
  }
}

export class Trend extends Metric {}
export class Counter extends Metric {}
export class Rate extends Metric {}
export class Gauge extends Metric {}
