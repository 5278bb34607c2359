// Transcript parsers (many formats to one segment model) and the built-in offline analyzer.
export * from './transcript';
export * from './transcript-parse.error';
export { parseTranscript, detectFormat } from './parsers/parse-transcript';
export type { ParseTranscriptOptions } from './parsers/parse-transcript';
export { DEFAULT_TRANSCRIPT_LIMITS } from './parsers/transcript.builder';
export type { TranscriptLimits } from './parsers/transcript.builder';
export { SYNTHETIC_WORDS_PER_MINUTE } from './parsers/plain.parser';
export { formatClockTime } from './parsers/timestamp';
export { analyze } from './analyzer/analyze';
export type { AnalyzeOptions } from './analyzer/analyze';
export * from './analyzer/analysis-result';
export { renderTranscriptWebVtt } from './render/transcript-webvtt.renderer';
export { renderTranscriptMarkdown } from './render/transcript-markdown.renderer';
export { bestPassages, retrievalTermsOf } from './retrieval/bm25';
export type { Passage, PassageOptions } from './retrieval/bm25';
export { diffResults } from './changes/results-diff';
export type { ResultsDiff, SectionDiff } from './changes/results-diff';
export { relabelResults, relabelTranscript, renamedLabel } from './relabel/relabel';
