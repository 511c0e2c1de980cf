/**
 * `--state FILE`: load at start when present, save all backends' snapshots + settings after every mutating call
 * (debounced) and on close. Writes go to a temp file in the same directory, then rename, so a crash mid-write
 * leaves the previous file intact.
 */
import { existsSync, readFileSync } from "node:fs";
import { rename, writeFile, unlink } from "node:fs/promises";
import { STATE_FILE_VERSION } from "./constants";
import type { EmulatorSettings } from "./contract";

export interface StateFile {
  version: number;
  settings: EmulatorSettings;
  services: Record<string, unknown>;
}

/** @throws Error naming the file when it exists but is not a state file of this version. */
export function loadStateFile(file: string): StateFile | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`emulator state file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const d = data as Partial<StateFile>;
  if (typeof d !== "object" || d === null || d.version !== STATE_FILE_VERSION || typeof d.services !== "object") {
    throw new Error(`emulator state file ${file} is not a version ${STATE_FILE_VERSION} edgeconf emulator state`);
  }
  return d as StateFile;
}

let tmpCounter = 0;

export async function writeStateFileAtomically(file: string, state: StateFile): Promise<void> {
  const tmp = `${file}.${process.pid}.${++tmpCounter}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(state, null, 1));
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** Debounced, serialised saver: at most one write in flight, and a save requested during a write runs after it. */
export class StatePersister {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly getState: () => StateFile,
    private readonly onError: (e: Error) => void,
    private readonly debounceMs = 25,
  ) {}

  schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.debounceMs);
  }

  /** Writes now if anything changed since the last write (always with `force`); resolves when the file is on disk. */
  flush(force = false): Promise<void> {
    if (force) this.dirty = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.writing = this.writing.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await writeStateFileAtomically(this.file, this.getState());
      } catch (e) {
        this.onError(e as Error);
      }
    });
    return this.writing;
  }
}
