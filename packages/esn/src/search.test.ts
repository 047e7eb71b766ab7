import { describe, expect, it } from 'vitest';
import { formatSearchTable, searchHyperparameters } from './search.js';

describe('searchHyperparameters', () => {
  it('evaluates the whole grid and ranks it by validation NRMSE', () => {
    const s = Float64Array.from({ length: 1001 }, (_, t) => 0.5 * Math.sin(t / 5) * Math.cos(t / 17));
    const rows = searchHyperparameters(
      { units: 60, inputs: 1, density: 0.1, seed: 1 },
      { spectralRadius: [0.5, 0.9], leakRate: [0.3, 1], inputScaling: [0.5], ridge: [1e-8, 1e-4, 10] },
      { trainInputs: s.subarray(0, 700), trainTargets: s.subarray(1, 701), validInputs: s.subarray(700, 1000), validTargets: s.subarray(701, 1001), washout: 50 },
    );
    expect(rows).toHaveLength(2 * 2 * 1 * 3);
    for (let i = 1; i < rows.length; i++) expect(rows[i].nrmse).toBeGreaterThanOrEqual(rows[i - 1].nrmse);
    // A ridge of 10 shrinks the readout far too much on this task: it never ranks first.
    expect(rows[0].ridge).not.toBe(10);
    expect(rows[rows.length - 1].ridge).toBe(10);
    const table = formatSearchTable(rows);
    console.log(table);
    expect(table.split('\n')).toHaveLength(13);
  });

  it('rejects an empty or misspelt grid', () => {
    const data = { trainInputs: [1, 2, 3], trainTargets: [2, 3, 4], validInputs: [4], validTargets: [5] };
    expect(() => searchHyperparameters({ units: 5, inputs: 1 }, { ridge: [] }, data)).toThrow(/space.ridge must be a non-empty array/);
    expect(() => searchHyperparameters({ units: 5, inputs: 1 }, { rho: [1] } as never, data)).toThrow(/unknown option 'rho'/);
  });
});
