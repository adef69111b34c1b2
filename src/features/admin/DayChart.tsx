import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface DaySeries {
  label: string;
  values: readonly number[];
  /** A CSS colour or custom property name (`--primary`), read from the page so dark mode follows. */
  color: string;
  bars?: boolean;
}

const HEIGHT = 200;

const colourOf = (styles: CSSStyleDeclaration, colour: string) => (colour.startsWith('--') ? styles.getPropertyValue(colour).trim() || 'currentColor' : colour);

/**
 * One chart of figures per UTC day, drawn by uPlot (about 20 KB gzip, loaded only with the admin
 * screens). It follows its box's width, so it fits a 320 px phone and a desktop alike; the figures
 * are in the CSV and in `summary` for screen readers, as a canvas says nothing.
 */
export function DayChart({ title, days, series, summary }: { title: string; days: readonly string[]; series: readonly DaySeries[]; summary: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const styles = getComputedStyle(element);
    const text = colourOf(styles, '--muted');
    const grid = colourOf(styles, '--border');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '11px system-ui, sans-serif' };
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height: HEIGHT,
      // Days are UTC days: label them as such whatever the viewer's time zone.
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1_000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: (_plot, _min, max) => [0, Math.max(1, max)] } },
      axes: [axis, { ...axis, size: 40 }],
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
      series: [
        {},
        ...series.map((line) => {
          const colour = colourOf(styles, line.color);
          return line.bars
            ? { label: line.label, stroke: colour, fill: colour, width: 0, paths: uPlot.paths.bars!({ size: [0.7, 24] }), points: { show: false } }
            : { label: line.label, stroke: colour, width: 2, points: { show: days.length <= 31 } };
        }),
      ],
    };
    const data: uPlot.AlignedData = [days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1_000), ...series.map((line) => [...line.values])];
    const plot = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 200), height: HEIGHT }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series]);

  return (
    <figure className="admin-chart">
      <figcaption>{title}</figcaption>
      <div ref={box} className="admin-chart-plot" role="img" aria-label={`${title}: ${summary}`} />
    </figure>
  );
}
