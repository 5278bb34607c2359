import { Link } from 'react-router';
import {
  CORE_SECTIONS,
  itemsOf,
  RESULT_SECTIONS,
  type AnalysisResults,
  type ResultItem,
} from '../api/results';
import { formatDate, formatOffset } from '../lib/format';
import { SpeakerChart } from './speaker-chart';

/** A link that opens the transcript at the segment an item was said in, highlighted. */
export function EvidenceLink({ evidence }: { evidence: ResultItem['evidence'][number] }) {
  return (
    <Link
      className="evidence-link"
      to={{ search: `?segment=${encodeURIComponent(evidence.segment_id)}` }}
      replace
      preventScrollReset
      title={`“${evidence.quote}”`}
    >
      Evidence at {formatOffset(evidence.start_ms)} ({evidence.speaker})
    </Link>
  );
}

function Item({ item, section }: { item: ResultItem; section: string }) {
  const owner = item.owner?.name;
  const due = item.due?.date ? formatDate(item.due.date) : item.due?.phrase;
  return (
    <li className="result-item">
      <p>{item.text}</p>
      <div className="result-meta">
        {section === 'tasks' ? <span>Owner: {owner ?? 'unassigned'}</span> : null}
        {section === 'tasks' ? <span>Due: {due ?? 'no date'}</span> : null}
        {item.count !== undefined ? <span>Mentioned {item.count}×</span> : null}
        {item.evidence.map((evidence, index) => (
          <EvidenceLink key={`${evidence.segment_id}-${index}`} evidence={evidence} />
        ))}
      </div>
    </li>
  );
}

/** Every section of results.json: the core ones always (empty ones say so), others when present. */
export function ResultsView({ results }: { results: AnalysisResults }) {
  const speakers = Array.isArray(results.speaker_statistics) ? results.speaker_statistics : [];
  return (
    <div>
      {RESULT_SECTIONS.map(({ key, heading }) => {
        const items = itemsOf(results, key);
        if (items.length === 0 && !CORE_SECTIONS.has(key)) return null;
        const truncated = results.truncated?.[key];
        return (
          <section className="results-section" key={key} aria-labelledby={`section-${key}`}>
            <h2 id={`section-${key}`}>{heading}</h2>
            {items.length === 0 ? (
              <p className="muted">Nothing found for this section.</p>
            ) : (
              <ul className="result-items">
                {items.map((item, index) => (
                  <Item key={index} item={item} section={key} />
                ))}
              </ul>
            )}
            {truncated ? (
              <p className="hint">
                The best {truncated.kept} of {truncated.found} are listed.
              </p>
            ) : null}
          </section>
        );
      })}
      <section className="results-section" aria-labelledby="section-speakers">
        <h2 id="section-speakers">Speakers</h2>
        <SpeakerChart speakers={speakers} />
      </section>
    </div>
  );
}
