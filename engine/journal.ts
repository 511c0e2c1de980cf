/**
 * The state an operation writes as it goes, the way Pulumi's snapshot manager does (pkg/backend/snapshot.go;
 * shared/reference/pulumi-engine-semantics.md §3.2): every completed step and every pending operation is
 * written at once, so an engine that stops mid-call leaves exactly what was done, plus what was in flight.
 */
import type { PendingOperation, PendingOperationType, StateResource } from "./state";

export class Journal {
  /** dynamic resources in state order (the stack and provider entries are added when written) */
  readonly resources: StateResource[];
  pending: PendingOperation[];

  /**
   * Only `creating` operations are carried forward from the previous state; the other kinds vanish at the
   * next write (§3.3: how `pulumi refresh` "clears" them).
   */
  constructor(resources: readonly StateResource[], pending: readonly PendingOperation[], private readonly write: (j: Journal) => void) {
    this.resources = [...resources];
    this.pending = pending.filter((p) => p.type === "creating");
  }

  /** Recorded before the provider call; {@link end} removes it when the call returns, even with an error. */
  begin(type: PendingOperationType, resource: StateResource): PendingOperation {
    const op = { type, resource };
    this.pending.push(op);
    this.write(this);
    return op;
  }

  end(op: PendingOperation): void {
    this.pending = this.pending.filter((p) => p !== op);
    this.write(this);
  }

  add(r: StateResource): void {
    this.resources.push(r);
    this.write(this);
  }

  /** Swaps one entry for another in place (same position), or appends when `old` is no longer there. */
  replace(old: StateResource, next: StateResource): void {
    const i = this.resources.indexOf(old);
    if (i >= 0) this.resources[i] = next;
    else this.resources.push(next);
    this.write(this);
  }

  remove(r: StateResource): void {
    const i = this.resources.indexOf(r);
    if (i >= 0) this.resources.splice(i, 1);
    this.write(this);
  }

  /** Sets flags on an entry (`delete`, `pendingReplacement`), keeping its identity for later steps. */
  mark(r: StateResource, flags: Pick<StateResource, "delete" | "pendingReplacement">): void {
    Object.assign(r, flags);
    this.write(this);
  }

  has(r: StateResource): boolean {
    return this.resources.includes(r);
  }
}
