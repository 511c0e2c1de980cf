/**
 * Tiny fake service modules so the core tests do not depend on the real teo/cic/ga modules:
 * a "teo" Tencent service (CreateThing, DescribeThings, Boom), an "organization" one (ListGroups), and a
 * "ga" Huawei service with /v1/things routes. Each records what it applied, so tests can prove that a fault
 * did or did not reach the backend.
 */
import type { Backend, HuaweiService, TencentService } from "../../../emulator/core/contract";
import { HuaweiError, TencentError } from "../../../emulator/core/contract";

export interface FakeBackend extends Backend {
  things: Map<string, { name: string; account: string }>;
  adminOps: string[];
}

function fakeBackend(): FakeBackend {
  const b: FakeBackend = {
    things: new Map(),
    adminOps: [],
    snapshot: () => ({ things: [...b.things] }),
    restore: (d: any) => {
      b.things = new Map(d.things);
    },
    reset: () => {
      b.things.clear();
    },
    resourceCount: () => b.things.size,
    admin: (op, args) => {
      if (op === "rename") {
        const t = b.things.get(args.id);
        if (!t) throw new Error(`no thing ${args.id}`);
        t.name = args.name;
        b.adminOps.push(op);
        return { id: args.id, name: t.name };
      }
      throw new Error(`unknown admin op ${op}`);
    },
  };
  return b;
}

export function fakeTeo(): TencentService & { backend: FakeBackend } {
  const backend = fakeBackend();
  let n = 0;
  return {
    service: "teo",
    version: "2022-09-01",
    backend,
    actions: {
      CreateThing: (p, ctx) => {
        if (typeof p.Name !== "string") throw new TencentError("MissingParameter", "The request is missing a required parameter `Name`.");
        const id = `thing-${++n}`;
        backend.things.set(id, { name: p.Name, account: ctx.account });
        return { ThingId: id };
      },
      DescribeThings: () => ({
        TotalCount: backend.things.size,
        Things: [...backend.things].map(([id, t]) => ({ ThingId: id, Name: t.name })),
      }),
      Boom: () => {
        throw new Error("kaboom");
      },
    },
  };
}

export function fakeOrganization(): TencentService & { backend: FakeBackend } {
  const backend = fakeBackend();
  return {
    service: "organization",
    version: "2021-03-31",
    backend,
    actions: { ListGroups: () => ({ Groups: [], TotalCounts: 0 }) },
  };
}

export function fakeGa(): HuaweiService & { backend: FakeBackend; seen: { projectId: string; account: string; query: string }[] } {
  const backend = fakeBackend();
  const seen: { projectId: string; account: string; query: string }[] = [];
  let n = 0;
  const one = /^\/v1\/things\/([^/]+)$/;
  return {
    service: "ga",
    backend,
    seen,
    actionOf: (method, path) => {
      if (path === "/v1/things") return method === "POST" ? "CreateThing" : method === "GET" ? "ListThings" : undefined;
      if (one.test(path)) return method === "GET" ? "ShowThing" : method === "DELETE" ? "DeleteThing" : undefined;
      return undefined;
    },
    handle: (req) => {
      seen.push({ projectId: req.projectId, account: req.account, query: req.query.toString() });
      if (req.path === "/v1/things" && req.method === "POST") {
        const name = (req.body as any)?.thing?.name;
        if (typeof name !== "string") throw new HuaweiError(400, "GA.9001", "Invalid name: required");
        const id = `t${++n}`;
        backend.things.set(id, { name, account: req.account });
        return { status: 201, body: { thing: { id, name } } };
      }
      if (req.path === "/v1/things" && req.method === "GET") {
        return { status: 200, body: { things: [...backend.things].map(([id, t]) => ({ id, name: t.name })) } };
      }
      const m = one.exec(req.path);
      if (m) {
        const t = backend.things.get(m[1]);
        if (!t) throw new HuaweiError(404, "GA.9002", `Not found: ${m[1]}`);
        if (req.method === "DELETE") {
          backend.things.delete(m[1]);
          return { status: 204 };
        }
        return { status: 200, body: { thing: { id: m[1], name: t.name } } };
      }
      return undefined;
    },
  };
}
