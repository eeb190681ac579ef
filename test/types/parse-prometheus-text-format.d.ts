// The package ships no types: what the tests read of its output.
declare module 'parse-prometheus-text-format' {
  interface Sample { labels?: Record<string, string>; value?: string; buckets?: Record<string, string> }
  interface Family { name: string; help: string; type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED'; metrics: Sample[] }
  export default function parse(text: string): Family[];
}
