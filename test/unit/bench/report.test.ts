import { describe, expect, it } from 'vitest';
import { renderResultsMarkdown, renderTable, replaceReadmeSection } from '../../../bench/report.ts';

describe('replaceReadmeSection', () => {
  const readme = '# title\n\n## Benchmark\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\n## Next\n';

  it('replaces only the text between the markers and keeps both markers', () => {
    const updated = replaceReadmeSection(readme, '\nnew table\n');
    expect(updated).toBe('# title\n\n## Benchmark\n\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\n\n## Next\n');
  });

  it('gives the same README when run twice with the same section', () => {
    const once = replaceReadmeSection(readme, 'table');
    expect(replaceReadmeSection(once, 'table')).toBe(once);
  });

  it('refuses a README without the markers', () => {
    expect(() => replaceReadmeSection('# title\n', 'table')).toThrow(/bench:start/);
  });
});

describe('renderTable', () => {
  it('renders one markdown row per figure and marks a missed goal in bold', () => {
    const table = renderTable([
      { figure: 'a', value: '1 ms', reference: 'r', ratio: '1.1x', goal: '< 2 ms', met: true },
      { figure: 'b', value: '3 ms', reference: '', ratio: '', goal: '< 2 ms', met: false },
      { figure: 'c', value: '4', reference: '', ratio: '', goal: '', met: null },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toBe('| a | 1 ms | r | 1.1x | < 2 ms | yes |');
    expect(lines[3]).toBe('| b | 3 ms |  |  | < 2 ms | **no** |');
    expect(lines[4]).toBe('| c | 4 |  |  |  |  |');
  });
});

describe('renderResultsMarkdown', () => {
  it('says when the figures come from a quick run', () => {
    expect(renderResultsMarkdown({ quick: true, date: 'd' })).toContain('quick run');
    expect(renderResultsMarkdown({ quick: false, date: 'd' })).not.toContain('quick run');
  });
});
