import type { CheckpointRecord } from '@/utils/page/types';
import { formatClock, formatDateTime } from '@/utils/display/format';
import { SeverityChip } from '@/components/common/SeverityChip';
import { CappedText, UrlText } from '@/components/common/text';

export interface CheckpointCardProps {
  record: CheckpointRecord;
}

/** The app's last CrashSense checkpoint; after an abnormal end, the previous session's last state. */
export function CheckpointCard({ record }: CheckpointCardProps) {
  const c = record.checkpoint;
  const system = Object.entries(c.systemState ?? {});
  return (
    <section class={`card checkpoint ${record.abnormalEnd ? 'abnormal' : ''}`} data-testid="checkpoint-card">
      {record.abnormalEnd && (
        <div class="abnormal-banner" data-testid="abnormal-end" role="alert">
          The previous session ended abnormally: here is its last state.
        </div>
      )}
      <div class="line">
        <b>CrashSense checkpoint</b>
        <span>
          app{' '}
          <code class="mono">
            <CappedText text={c.appId} max={120} />
          </code>
        </span>
        <span>
          session{' '}
          <code class="mono">
            <CappedText text={c.sessionId} max={120} />
          </code>
        </span>
        <span class="muted">
          checkpoint at {formatDateTime(c.timestamp)} (#{c.checkpointCount}) · seen {formatClock(record.seenAt)} in{' '}
          <UrlText url={record.url} />
        </span>
      </div>
      {system.length > 0 && (
        <div class="line sub">
          {system.map(([k, v]) => (
            <span class="sys" key={k}>
              <span class="muted">{k}</span>{' '}
              <code class="mono">
                <CappedText
                  text={
                    typeof v === 'string' ? v : typeof v === 'bigint' ? v.toString() : (JSON.stringify(v) ?? typeof v)
                  }
                  max={160}
                />
              </code>
            </span>
          ))}
        </div>
      )}
      {c.preCrashWarnings.length > 0 && (
        <div class="warnings">
          <span class="muted">Pre-crash warnings:</span>
          {c.preCrashWarnings.map((w, i) => (
            <div class="line" key={i} data-testid="precrash-warning">
              <SeverityChip severity={w.level} /> <span class="mono muted">{formatClock(w.timestamp)}</span>{' '}
              <CappedText text={w.reason} max={300} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
