import { useId } from 'react';
import type { SpeakerStatistics } from '../api/results';
import { formatDuration } from '../lib/format';

interface Metric {
  title: string;
  value: (speaker: SpeakerStatistics) => number;
  text: (speaker: SpeakerStatistics) => string;
}

const METRICS: Metric[] = [
  {
    title: 'Talk time',
    value: (s) => s.talk_time_ms,
    text: (s) => `${formatDuration(s.talk_time_ms)} (${Math.round(s.share * 100)}%)`,
  },
  { title: 'Turns', value: (s) => s.turns, text: (s) => String(s.turns) },
  {
    title: 'Words per minute',
    value: (s) => s.words_per_minute,
    text: (s) => String(Math.round(s.words_per_minute)),
  },
];

const WIDTH = 360;
const ROW = 26;
const LABEL = 96;
const VALUE = 92;

function shortName(name: string): string {
  return name.length > 14 ? `${name.slice(0, 13)}…` : name;
}

/**
 * Speaker statistics as bar charts. Each chart is an image whose accessible name states every
 * value, and each bar carries its value as visible text: nothing is told by length alone.
 */
export function SpeakerChart({ speakers }: { speakers: SpeakerStatistics[] }) {
  const id = useId();
  if (speakers.length === 0) return <p className="muted">No speaker statistics.</p>;
  return (
    <div>
      {METRICS.map((metric, metricIndex) => {
        const max = Math.max(1, ...speakers.map(metric.value));
        const height = speakers.length * ROW + 4;
        const titleId = `${id}-${metricIndex}`;
        const description = speakers.map((s) => `${s.speaker}: ${metric.text(s)}`).join('; ');
        return (
          <figure className="chart-group" key={metric.title}>
            <figcaption className="label" id={titleId}>
              {metric.title}
            </figcaption>
            <svg
              className="chart"
              viewBox={`0 0 ${WIDTH} ${height}`}
              role="img"
              aria-label={`${metric.title}. ${description}`}
            >
              {speakers.map((speaker, index) => {
                const y = index * ROW + 2;
                const barWidth = ((WIDTH - LABEL - VALUE) * metric.value(speaker)) / max;
                return (
                  <g key={speaker.speaker}>
                    <text x={0} y={y + 16}>
                      <title>{speaker.speaker}</title>
                      {shortName(speaker.speaker)}
                    </text>
                    <rect
                      className="chart-track"
                      x={LABEL}
                      y={y + 4}
                      width={WIDTH - LABEL - VALUE}
                      height={16}
                      rx={3}
                    />
                    <rect
                      className="chart-bar"
                      x={LABEL}
                      y={y + 4}
                      width={Math.max(2, barWidth)}
                      height={16}
                      rx={3}
                    />
                    <text className="chart-value" x={WIDTH - VALUE + 6} y={y + 16}>
                      {metric.text(speaker)}
                    </text>
                  </g>
                );
              })}
            </svg>
          </figure>
        );
      })}
    </div>
  );
}
