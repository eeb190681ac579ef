/**
 * Output sizes: every tool's result on zones of 300 and 2,000 records (the sandbox, the same calls
 * as the output-bounds test), against the result budget of 16 KB text / 64 KB structuredContent.
 */
import { bigZoneCalls, startBigZone } from '../../test/helpers/big-zone.js';
import { STRUCTURED_LIMIT, TEXT_LIMIT, resultSize } from '../../src/tools/kit/budget.js';
import type { Row } from './main.js';

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function benchOutputSizes(results: Record<string, unknown>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of [300, 2000]) {
    const w = await startBigZone(n);
    try {
      const sizes: Record<string, { text: number; structured: number }> = {};
      for (const [tool, args] of Object.entries(bigZoneCalls(w.records))) {
        const r = await w.h.call(tool, args);
        sizes[tool] = resultSize(r.text, r.structured);
      }
      results[`output_sizes_${n}`] = sizes;
      const entries = Object.entries(sizes);
      const [maxTextTool, maxText] = entries.reduce((a, b) => (b[1].text > a[1].text ? b : a));
      const [maxJsonTool, maxJson] = entries.reduce((a, b) => (b[1].structured > a[1].structured ? b : a));
      rows.push({ what: `largest text result, ${entries.length} tools, ${n}-record zone`, value: `${kb(maxText.text)} (${maxTextTool})`, baseline: `${kb(TEXT_LIMIT)} budget`, ratio: `${((maxText.text / TEXT_LIMIT) * 100).toFixed(0)}%`, target: '<= 16 KB', met: maxText.text <= TEXT_LIMIT });
      rows.push({ what: `largest structuredContent, ${n}-record zone`, value: `${kb(maxJson.structured)} (${maxJsonTool})`, baseline: `${kb(STRUCTURED_LIMIT)} budget`, ratio: `${((maxJson.structured / STRUCTURED_LIMIT) * 100).toFixed(0)}%`, target: '<= 64 KB', met: maxJson.structured <= STRUCTURED_LIMIT });
      for (const tool of ['audit_zone', 'check_propagation', 'list_records', 'export_zone_file', 'delete_zone']) {
        const s = sizes[tool];
        if (s) rows.push({ what: `  ${tool}, ${n} records: text / structured`, value: `${kb(s.text)} / ${kb(s.structured)}`, baseline: '-', ratio: '-', target: 'report', met: null });
      }
    } finally {
      await w.close();
    }
  }
  return rows;
}
