/**
 * Huawei Cloud Global Accelerator v1 endpoint groups: state and every API rule. No HTTP here.
 * Facts: shared/reference/huawei-ga-endpoint-group.md §3–7. Stricter choices are listed in
 * emulator/README.md ("### ga").
 *
 * Asynchronous status is evaluated lazily: a transient status (PENDING after create/update, DELETING after
 * delete) records when it started; every entry point first settles the groups whose
 * `settings.gaPendingMs` (read live) has elapsed on `env.now()`. No timers.
 *
 * One state for the whole emulator, not per project or account: the gateway maps every caller to the one
 * configured account, and GA paths carry no project id.
 */
import type { Backend, EmulatorSettings, Env } from "../core/contract";
import { SEED } from "../core/defaults";
import {
  AlreadyExists,
  AssociatedResource,
  InvalidField,
  NotFound,
  RegionNotEnabled,
  ResourceFrozen,
  StatusNotAllowed,
} from "./exceptions";

export const NAME_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
/** `settings.gaNameCharset: chinese`: the Go SDK comment's reading, CJK unified ideographs as well. */
export const NAME_PATTERN_CHINESE = /^[A-Za-z0-9\u4e00-\u9fa5-]{1,64}$/;
export const DESCRIPTION_MAX = 255;
export const REGION_PATTERN = /^[A-Za-z0-9-]{1,36}$/;
export const DIAL_MIN = 0;
export const DIAL_MAX = 100;
/** Not documented as the API default (TF documents it); chosen. */
export const DIAL_DEFAULT = 100;
export const LIST_LIMIT_DEFAULT = 500;
export const LIST_LIMIT_MAX = 500;
export const STATUSES = ["ACTIVE", "PENDING", "ERROR", "DELETING"] as const;
export type GroupStatus = (typeof STATUSES)[number];
export const FROZEN_SCENES = ["ARREAR", "POLICE", "ILLEGAL", "VERIFY", "PARTNER"] as const;
const KIND = "endpoint_group";

export interface FrozenInfo {
  /** 0 normal, 1 frozen, 2 deleted/terminated */
  status: number;
  /** 1 can be released (default), 2 cannot be released, 3 cannot be renewed */
  effect: number;
  scene: string[];
}

export interface Accelerator {
  id: string;
  regions: string[];
}

export interface Listener {
  id: string;
  acceleratorId: string;
}

export interface EndpointGroup {
  id: string;
  name: string;
  description: string;
  trafficDialPercentage: number;
  regionId: string;
  listenerId: string;
  /** epoch ms */
  createdAt: number;
  /** epoch ms: API update and console edit, not status transitions */
  updatedAt: number;
  domainId: string;
  frozen: FrozenInfo;
  status: GroupStatus;
  /** set while the status is transient: PENDING → ACTIVE, DELETING → gone, `gaPendingMs` after this instant */
  transitionFrom?: number;
  endpoints: number;
  healthChecks: number;
  /** creation order: the list order */
  seq: number;
}

/** Values as decoded by ./responses (JSON types already checked). */
export interface NewEndpointGroup {
  name: string;
  description?: string;
  trafficDialPercentage?: number;
  regionId: string;
  listenerIds: string[];
}

export interface EndpointGroupPatch {
  name?: string;
  description?: string;
  trafficDialPercentage?: number;
}

export interface ListQuery {
  limit?: number;
  marker?: string;
  pageReverse?: boolean;
  id?: string;
  name?: string;
  status?: string;
  listenerId?: string;
}

export interface ListPage {
  groups: EndpointGroup[];
  nextMarker?: string;
  currentCount: number;
}

interface State {
  accelerators: Record<string, Accelerator>;
  listeners: Record<string, Listener>;
  groups: Record<string, EndpointGroup>;
  seq: number;
}

const freshState = (): State => ({
  accelerators: { [SEED.gaAcceleratorId]: { id: SEED.gaAcceleratorId, regions: [...SEED.gaRegions] } },
  listeners: { [SEED.gaListenerId]: { id: SEED.gaListenerId, acceleratorId: SEED.gaAcceleratorId } },
  groups: {},
  seq: 0,
});

export class GaBackend implements Backend {
  private state: State = freshState();

  constructor(
    private readonly env: Env,
    /** read live: the control plane may change `gaPendingMs` at any time */
    private readonly settings: EmulatorSettings,
  ) {}

  // ---------------------------------------------------------------- API operations

  createEndpointGroup(input: NewEndpointGroup): EndpointGroup {
    this.settle();
    checkName(input.name, this.settings.gaNameCharset);
    const description = checkDescription(input.description ?? "");
    const dial = checkDial(input.trafficDialPercentage ?? DIAL_DEFAULT);
    if (!REGION_PATTERN.test(input.regionId)) throw new InvalidField("region_id", "must be 1-36 letters, digits or hyphens");
    if (input.listenerIds.length !== 1) throw new InvalidField("listeners", "an endpoint group must have exactly one listener");
    const listenerId = input.listenerIds[0]!;
    const listener = this.state.listeners[listenerId];
    if (!listener) throw new NotFound("listener", listenerId);
    const regions = this.state.accelerators[listener.acceleratorId]?.regions ?? [];
    if (!regions.includes(input.regionId)) throw new RegionNotEnabled(input.regionId);
    // "A listener can have only one endpoint group per region" (UG); DELETING and ERROR groups still hold the slot.
    const clash = Object.values(this.state.groups).some((g) => g.listenerId === listenerId && g.regionId === input.regionId);
    if (clash) throw new AlreadyExists(KIND);

    let id: string;
    do id = this.env.uuid();
    while (this.state.groups[id]);
    const now = this.env.now();
    const group: EndpointGroup = {
      id, name: input.name, description, trafficDialPercentage: dial, regionId: input.regionId, listenerId,
      createdAt: now, updatedAt: now, domainId: SEED.gaDomainId, frozen: { status: 0, effect: 1, scene: [] },
      status: "PENDING", transitionFrom: now, endpoints: 0, healthChecks: 0, seq: ++this.state.seq,
    };
    this.state.groups[id] = group;
    this.settle(); // gaPendingMs = 0 → ACTIVE at once
    return group;
  }

  showEndpointGroup(id: string): EndpointGroup {
    this.settle();
    return this.find(id);
  }

  updateEndpointGroup(id: string, patch: EndpointGroupPatch): EndpointGroup {
    this.settle();
    checkPatch(patch, this.settings.gaNameCharset);
    const g = this.find(id);
    if (g.frozen.status !== 0) throw new ResourceFrozen();
    if (g.status !== "ACTIVE") throw new StatusNotAllowed(KIND, id, g.status);
    applyPatch(g, patch);
    const now = this.env.now();
    g.updatedAt = now;
    g.status = "PENDING";
    g.transitionFrom = now;
    this.settle();
    return g;
  }

  deleteEndpointGroup(id: string): void {
    this.settle();
    const g = this.find(id);
    if (g.frozen.status !== 0) throw new ResourceFrozen();
    // ERROR groups can be deleted (that is how a failed create is cleaned up); transient ones cannot.
    if (g.status === "PENDING" || g.status === "DELETING") throw new StatusNotAllowed(KIND, id, g.status);
    if (g.endpoints > 0) throw new AssociatedResource(`${KIND} ${id}`, "endpoint");
    if (g.healthChecks > 0) throw new AssociatedResource(`${KIND} ${id}`, "health_check");
    g.status = "DELETING";
    g.transitionFrom = this.env.now();
    this.settle();
  }

  listEndpointGroups(q: ListQuery): ListPage {
    this.settle();
    const limit = q.limit ?? LIST_LIMIT_DEFAULT;
    const all = Object.values(this.state.groups).sort((a, b) => a.seq - b.seq);
    let markerSeq: number | undefined;
    if (q.marker !== undefined) {
      // The marker is positioned by its creation order, so it may lie outside the filtered set.
      const m = this.state.groups[q.marker];
      if (!m) throw new InvalidField("marker", `endpoint_group ${q.marker} does not exist`);
      markerSeq = m.seq;
    }
    const matching = all.filter(
      (g) =>
        (q.id === undefined || g.id === q.id) &&
        (q.name === undefined || g.name === q.name) &&
        (q.status === undefined || g.status === q.status) &&
        (q.listenerId === undefined || g.listenerId === q.listenerId),
    );
    let page: EndpointGroup[];
    let more: boolean;
    if (!q.pageReverse) {
      const rest = markerSeq === undefined ? matching : matching.filter((g) => g.seq > markerSeq!);
      page = rest.slice(0, limit);
      more = rest.length > limit;
    } else {
      // page_reverse: the page just before the marker (or the last page), still in ascending order.
      const before = markerSeq === undefined ? matching : matching.filter((g) => g.seq < markerSeq!);
      page = before.slice(Math.max(0, before.length - limit));
      more = before.length > limit;
    }
    const edge = q.pageReverse ? page[0] : page[page.length - 1];
    return { groups: page, nextMarker: more && edge ? edge.id : undefined, currentCount: page.length };
  }

  // ---------------------------------------------------------------- helpers

  private find(id: string): EndpointGroup {
    const g = this.state.groups[id];
    if (!g) throw new NotFound(KIND, id);
    return g;
  }

  /** Materialise every transient status whose delay has elapsed. */
  private settle(): void {
    const now = this.env.now();
    const delay = this.settings.gaPendingMs;
    for (const g of Object.values(this.state.groups)) {
      if (g.transitionFrom === undefined || now < g.transitionFrom + delay) continue;
      if (g.status === "DELETING") delete this.state.groups[g.id];
      else {
        if (g.status === "PENDING") g.status = "ACTIVE";
        delete g.transitionFrom;
      }
    }
  }

  private adminGroup(id: unknown): EndpointGroup {
    const g = typeof id === "string" ? this.state.groups[id] : undefined;
    if (!g) throw new Error(`admin: no GA endpoint group ${String(id)}`);
    return g;
  }

  private adminView(g: EndpointGroup) {
    return structuredClone(g);
  }

  // ---------------------------------------------------------------- Backend

  snapshot(): unknown {
    this.settle();
    return structuredClone(this.state);
  }

  restore(data: unknown): void {
    const d = data as Partial<State> | undefined;
    if (!d || typeof d !== "object" || typeof d.groups !== "object" || typeof d.listeners !== "object") {
      throw new Error("GA restore: not a GA snapshot");
    }
    this.state = {
      accelerators: structuredClone(d.accelerators ?? freshState().accelerators),
      listeners: structuredClone(d.listeners!),
      groups: structuredClone(d.groups!),
      seq: typeof d.seq === "number" ? d.seq : Object.keys(d.groups!).length,
    };
  }

  reset(): void {
    this.state = freshState();
  }

  resourceCount(): number {
    this.settle();
    return Object.keys(this.state.groups).length;
  }

  /** Control plane: console edits, seeding, freezing, failures. */
  admin(op: string, args: Record<string, any>): unknown {
    this.settle();
    switch (op) {
      case "addAccelerator": {
        const id = String(args.acceleratorId ?? this.env.uuid());
        const regions = Array.isArray(args.regions) ? args.regions.map(String) : [...SEED.gaRegions];
        this.state.accelerators[id] = { id, regions };
        return { ...this.state.accelerators[id], regions: [...regions] };
      }
      case "addListener": {
        const id = String(args.listenerId ?? this.env.uuid());
        const acceleratorId = String(args.acceleratorId ?? SEED.gaAcceleratorId);
        // An unknown accelerator is created with the default regions.
        this.state.accelerators[acceleratorId] ??= { id: acceleratorId, regions: [...SEED.gaRegions] };
        this.state.listeners[id] = { id, acceleratorId };
        return { ...this.state.listeners[id] };
      }
      case "listListeners":
        return Object.values(this.state.listeners).map((l) => ({
          ...l, regions: [...(this.state.accelerators[l.acceleratorId]?.regions ?? [])],
        }));
      case "patchEndpointGroup": {
        // A console edit: same field rules, applied at once, status unchanged (no PENDING).
        const g = this.adminGroup(args.id);
        const patch: EndpointGroupPatch = {
          name: args.name, description: args.description, trafficDialPercentage: args.traffic_dial_percentage,
        };
        checkPatch(patch, this.settings.gaNameCharset);
        applyPatch(g, patch);
        g.updatedAt = this.env.now();
        return this.adminView(g);
      }
      case "deleteEndpointGroup": {
        const g = this.adminGroup(args.id);
        delete this.state.groups[g.id];
        return { deleted: g.id };
      }
      case "setStatus": {
        // Sticky by default (an ERROR create, a PENDING that never ends); `transient: true` makes PENDING/DELETING
        // resolve after gaPendingMs from now, as after an API call.
        const g = this.adminGroup(args.id);
        if (!(STATUSES as readonly string[]).includes(args.status)) throw new Error(`admin setStatus: status must be one of ${STATUSES.join(", ")}`);
        g.status = args.status;
        if (args.transient && (g.status === "PENDING" || g.status === "DELETING")) g.transitionFrom = this.env.now();
        else delete g.transitionFrom;
        return this.adminView(g);
      }
      case "freeze": {
        const g = this.adminGroup(args.id);
        const status = Number(args.status ?? 1);
        const effect = Number(args.effect ?? 1);
        if (![0, 1, 2].includes(status)) throw new Error("admin freeze: status must be 0, 1 or 2");
        if (![1, 2, 3].includes(effect)) throw new Error("admin freeze: effect must be 1, 2 or 3");
        const scene = Array.isArray(args.scene) ? args.scene.map(String) : status === 0 ? [] : ["ARREAR"];
        g.frozen = { status, effect, scene };
        return this.adminView(g);
      }
      case "addEndpoint":
        this.adminGroup(args.id).endpoints++;
        return this.adminView(this.adminGroup(args.id));
      case "clearEndpoints":
        this.adminGroup(args.id).endpoints = 0;
        return this.adminView(this.adminGroup(args.id));
      case "addHealthCheck":
        this.adminGroup(args.id).healthChecks++;
        return this.adminView(this.adminGroup(args.id));
      case "clearHealthChecks":
        this.adminGroup(args.id).healthChecks = 0;
        return this.adminView(this.adminGroup(args.id));
      case "getEndpointGroup":
        return this.adminView(this.adminGroup(args.id));
      case "listEndpointGroups":
        return Object.values(this.state.groups).sort((a, b) => a.seq - b.seq).map((g) => this.adminView(g));
      default:
        throw new Error(`unknown admin op ${op} for ga`);
    }
  }
}

// ---------------------------------------------------------------- field rules (§3.1, §3.2)

function checkName(name: string, charset: EmulatorSettings["gaNameCharset"]): void {
  // DOC (English): letters, digits, hyphens (the default). The zh SDK comment also allows Chinese (the variant).
  if (charset === "chinese") {
    if (!NAME_PATTERN_CHINESE.test(name)) throw new InvalidField("name", "must be 1-64 characters of letters, digits, hyphens and Chinese characters");
  } else if (!NAME_PATTERN.test(name)) throw new InvalidField("name", "must be 1-64 characters of letters, digits and hyphens");
}

function checkDescription(description: string): string {
  if ([...description].length > DESCRIPTION_MAX) throw new InvalidField("description", `must be at most ${DESCRIPTION_MAX} characters`);
  if (/[<>]/.test(description)) throw new InvalidField("description", "must not contain < or >");
  return description;
}

function checkDial(dial: number): number {
  if (!Number.isInteger(dial) || dial < DIAL_MIN || dial > DIAL_MAX) {
    throw new InvalidField("traffic_dial_percentage", `must be an integer from ${DIAL_MIN} to ${DIAL_MAX}`);
  }
  return dial;
}

function checkPatch(p: EndpointGroupPatch, charset: EmulatorSettings["gaNameCharset"]): void {
  if (p.name !== undefined) checkName(p.name, charset);
  if (p.description !== undefined) checkDescription(p.description);
  if (p.trafficDialPercentage !== undefined) checkDial(p.trafficDialPercentage);
}

function applyPatch(g: EndpointGroup, p: EndpointGroupPatch): void {
  if (p.name !== undefined) g.name = p.name;
  // "" clears the description (TF sends it on every update).
  if (p.description !== undefined) g.description = p.description;
  if (p.trafficDialPercentage !== undefined) g.trafficDialPercentage = p.trafficDialPercentage;
}
