import cliProgress from 'cli-progress';

/** A progress bar on a terminal; elsewhere nothing (the structured log lines carry the same facts). */
export interface Bar {
  update(value: number, total: number, label: string): void;
  stop(): void;
}

export function progressBar(enabled = Boolean(process.stderr.isTTY)): Bar {
  if (!enabled) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(value, total, label) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: '{bar} {value}/{total} | {label}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, value, { label });
      }
      bar.setTotal(total);
      bar.update(value, { label });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
