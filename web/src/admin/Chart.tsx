// A bar or line chart drawn by uPlot, which is loaded on first use so that it does not weigh on
// the console's first load.
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';

export type Series = { label: string; values: number[] };

export function Chart({ title, labels, series, bars = false }: { title: string; labels: string[]; series: Series[]; bars?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let plot: uPlot | undefined;
    let cancelled = false;
    (async () => {
      const [{ default: UPlot }] = await Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]);
      if (cancelled || !box.current) return;
      const css = getComputedStyle(document.documentElement);
      const text = css.getPropertyValue('--text').trim() || '#000';
      const grid = css.getPropertyValue('--border').trim() || '#ccc';
      const colors = [css.getPropertyValue('--accent').trim() || '#2f5bd3', '#d9822b', '#1b9e77', '#7570b3', '#e7298a'];
      const axis = { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid } };
      const width = box.current.clientWidth || 600;
      // At most one label every 70 px: a year of days would otherwise draw a solid bar of text
      // and grid lines.
      const step = Math.max(1, Math.ceil(labels.length / Math.max(1, Math.floor(width / 70))));
      plot = new UPlot(
        {
          width,
          height: 240,
          // The x axis is categorical: one tick per label, at its index.
          scales: { x: { time: false, range: () => [-0.5, labels.length - 0.5] } },
          axes: [
            { ...axis, splits: () => labels.map((_, i) => i).filter((i) => i % step === 0), values: (_u, ticks) => ticks.map((t) => labels[t] ?? '') },
            axis,
          ],
          series: [
            {},
            ...series.map((s, i) => ({
              label: s.label,
              stroke: colors[i % colors.length],
              fill: bars ? colors[i % colors.length] + '99' : undefined,
              paths: bars ? UPlot.paths.bars!({ size: [0.6, 60] }) : undefined,
              // Points only where there are few enough to see one by one.
              points: { show: !bars && labels.length <= 62 },
            })),
          ],
        },
        [labels.map((_, i) => i), ...series.map((s) => s.values)],
        box.current,
      );
    })();
    return () => {
      cancelled = true;
      plot?.destroy();
    };
  }, [labels, series, bars]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={`${title}: ${series.map((s) => `${s.label} ${s.values.join(', ')}`).join('; ')}`} />
    </figure>
  );
}
