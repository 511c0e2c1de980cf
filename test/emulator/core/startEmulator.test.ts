import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CommonClient } from "tencentcloud-sdk-nodejs-common";
import { EmulatorAdmin, SEED, DEFAULT_CREDENTIALS, startEmulator, type RunningEmulator } from "../../../emulator";
import { DEFAULT_SETTINGS } from "../../../emulator/core/contract";
import { parseCliArgs, runCli } from "../../../emulator/cli";
import { fakeGa, fakeOrganization, fakeTeo } from "./fakeServices";
import { tc3Call } from "./signing";

const LISTENING = /^edgeconf emulator listening on http:\/\/127\.0\.0\.1:(\d+)$/;

const running: RunningEmulator[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const e of running.splice(0)) await e.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const track = (e: RunningEmulator | undefined) => {
  if (e) running.push(e);
  return e!;
};
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "edgeconf-emu-"));
  dirs.push(d);
  return d;
};
const fakes = () => ({ teo: fakeTeo(), organization: fakeOrganization(), ga: fakeGa() });

const tc = (e: RunningEmulator, action: string, body = "{}", version = "2022-09-01") =>
  tc3Call({ url: e.url + "/", action, version, body, secretId: e.credentials.tencentSecretId, secretKey: e.credentials.tencentSecretKey });

/** Waits for a condition on the file system (persistence is debounced); the deadline is generous, never asserted. */
async function eventually(check: () => boolean, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("startEmulator with the real service modules", () => {
  it("serves teo 2022-09-01, organization 2021-03-31 and ga, routed from the official SDK", async () => {
    const e = track(await startEmulator({ quiet: true, credentialEnv: {} }));
    expect(e.url).toBe(`http://127.0.0.1:${e.port}`);
    expect(e.services.teo).toMatchObject({ service: "teo", version: "2022-09-01" });
    expect(e.services.organization).toMatchObject({ service: "organization", version: "2021-03-31" });
    expect(e.services.ga.service).toBe("ga");
    expect(e.credentials.tencentSecretId).toBe(DEFAULT_CREDENTIALS.tencentSecretId);

    const endpoint = `127.0.0.1:${e.port}`;
    const client = (version: string) =>
      new CommonClient(endpoint, version, {
        credential: { secretId: e.credentials.tencentSecretId, secretKey: e.credentials.tencentSecretKey },
        profile: { httpProfile: { protocol: "http://", endpoint } },
      });
    // Only the routing is the core's business: whatever the module answers, it is not a routing error.
    for (const [version, action, params] of [
      ["2022-09-01", "DescribeOriginGroup", { ZoneId: SEED.teoZoneId }],
      ["2021-03-31", "ListGroups", { ZoneId: SEED.cicZoneId }],
    ] as const) {
      const code = await client(version)
        .request(action, params)
        .then(() => undefined, (err: any) => err.code as string);
      expect(["InvalidAction", "NoSuchVersion"]).not.toContain(code);
    }
    expect(await new EmulatorAdmin(e.url).counts()).toEqual({ teo: 0, organization: 0, ga: 0 });
  });
});

describe("credentials", () => {
  it("accepts exactly the set from the provider's environment variables and never prints its secrets", async () => {
    const lines: string[] = [];
    const e = track(
      await startEmulator({
        out: (l) => lines.push(l),
        credentialEnv: { TENCENTCLOUD_SECRET_ID: "AKIDfromenv", TENCENTCLOUD_SECRET_KEY: "env-secret-key", HW_AUTH_TOKEN: "env-token" },
        services: fakes,
      }),
    );
    expect(e.credentials.tencentSecretId).toBe("AKIDfromenv");
    expect((await tc(e, "DescribeThings")).json.Response.TotalCount).toBe(0);
    const withDefaults = await tc3Call({
      url: e.url + "/",
      action: "DescribeThings",
      version: "2022-09-01",
      body: "{}",
      secretId: DEFAULT_CREDENTIALS.tencentSecretId,
      secretKey: DEFAULT_CREDENTIALS.tencentSecretKey,
    });
    expect(withDefaults.json.Response.Error.Code).toBe("AuthFailure.SecretIdNotFound");
    const text = lines.join("\n");
    expect(text).toContain("AKIDfromenv");
    expect(text).toContain("from TENCENTCLOUD_SECRET_KEY");
    expect(text).toContain("from HW_AUTH_TOKEN");
    expect(text).not.toContain("env-secret-key");
    expect(text).not.toContain("env-token");
    // the documented default Huawei secret is printed, since it is no secret
    expect(text).toContain(DEFAULT_CREDENTIALS.huaweiSecretKey);
  });

  it("refuses to start with half a key pair, naming the variables but not the values", async () => {
    await expect(startEmulator({ quiet: true, credentialEnv: { HW_ACCESS_KEY: "AKONLY" } })).rejects.toThrow(
      /set both HW_ACCESS_KEY and HW_SECRET_KEY/,
    );
  });

  it("options override the environment", async () => {
    const e = track(
      await startEmulator({
        quiet: true,
        credentialEnv: { TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "k" },
        credentials: { tencentSecretId: "AKIDopt", tencentSecretKey: "opt-key", tencentToken: "tok" },
        services: fakes,
      }),
    );
    expect(e.credentials).toMatchObject({ tencentSecretId: "AKIDopt", tencentSecretKey: "opt-key", tencentToken: "tok" });
  });
});

describe("persistence with stateFile", () => {
  it("survives a restart: backends and settings come back from the file", async () => {
    const file = join(tempDir(), "state.json");
    const first = track(await startEmulator({ quiet: true, credentialEnv: {}, stateFile: file, services: fakes }));
    expect((await tc(first, "CreateThing", '{"Name":"kept"}')).json.Response.ThingId).toBe("thing-1");
    await new EmulatorAdmin(first.url).settings({ gaPendingMs: 5 });
    // saved after the change, before any close (a crash would keep it)
    await eventually(() => existsSync(file) && readFileSync(file, "utf8").includes("kept") && readFileSync(file, "utf8").includes('"gaPendingMs": 5'));
    await first.close();
    const saved = JSON.parse(readFileSync(file, "utf8"));
    expect(saved).toMatchObject({ version: 1, settings: { gaPendingMs: 5 } });
    expect(Object.keys(saved.services).sort()).toEqual(["ga", "organization", "teo"]);

    const second = track(await startEmulator({ quiet: true, credentialEnv: {}, stateFile: file, services: fakes }));
    expect(second.settings.gaPendingMs).toBe(5);
    expect((await tc(second, "DescribeThings")).json.Response.Things).toEqual([{ ThingId: "thing-1", Name: "kept" }]);
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });

  it("lets explicit settings win over the file", async () => {
    const file = join(tempDir(), "state.json");
    const first = track(await startEmulator({ quiet: true, credentialEnv: {}, stateFile: file, settings: { rateLimit: 3 }, services: fakes }));
    await first.close();
    const second = track(await startEmulator({ quiet: true, credentialEnv: {}, stateFile: file, settings: { rateLimit: 9 }, services: fakes }));
    expect(second.settings.rateLimit).toBe(9);
    const third = track(await startEmulator({ quiet: true, credentialEnv: {}, stateFile: join(tempDir(), "x.json"), services: fakes }));
    expect(third.settings.rateLimit).toBe(20);
  });

  it("refuses a file that is not an emulator state, naming it", async () => {
    const file = join(tempDir(), "bad.json");
    writeFileSync(file, "{not json");
    await expect(startEmulator({ quiet: true, credentialEnv: {}, stateFile: file, services: fakes })).rejects.toThrow(file);
    writeFileSync(file, '{"hello":1}');
    await expect(startEmulator({ quiet: true, credentialEnv: {}, stateFile: file, services: fakes })).rejects.toThrow(/not a version 1/);
  });

  it("refuses a state file it cannot write, instead of running on without persistence", async () => {
    const file = join(tempDir(), "no-such-dir", "state.json");
    await expect(startEmulator({ quiet: true, credentialEnv: {}, stateFile: file, services: fakes }))
      .rejects.toThrow(`emulator: cannot write state file ${file}: ENOENT`);
  });
});

describe("CLI (runCli in-process)", () => {
  it("prints the package version for --version and -v, starting nothing", async () => {
    const version = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")).version;
    for (const flag of ["--version", "-v"]) {
      const lines: string[] = [];
      expect(await runCli([flag], (l) => lines.push(l), { credentialEnv: {} })).toBeUndefined();
      expect(lines).toEqual([version]);
    }
  });

  it("--help explains every option and setting with its default, and links the docs by URL (the package ships no emulator/README.md)", async () => {
    const lines: string[] = [];
    expect(await runCli(["--help"], (l) => lines.push(l), { credentialEnv: {} })).toBeUndefined();
    const help = lines.join("\n");
    expect(help).toMatch(/^usage: edgeconf-emulator /);
    for (const flag of ["--port", "--state", "--seed", "--quiet", "-v, --version", "-h, --help"]) expect(help).toContain(`  ${flag} `);
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      expect(help, flag).toMatch(new RegExp(`  ${flag} [^\\n]+\\n {6}[^\\n]+ \\(default ${value}\\)`));
    }
    expect(help).toContain("https://github.com/edgeconf/pulumi-edgeconf/blob/main/emulator/README.md");
    expect(help).not.toMatch(/see emulator\/README/);
  });

  it("prints exactly the listening line first, then seeded ids and credentials", async () => {
    const lines: string[] = [];
    const e = track(await runCli(["--port", "0", "--rate-limit", "9", "--ga-pending-ms=10"], (l) => lines.push(l), { credentialEnv: {} }));
    const m = LISTENING.exec(lines[0]);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(e.port);
    const rest = lines.slice(1).join("\n");
    for (const id of [SEED.teoZoneId, SEED.cicZoneId, SEED.gaAcceleratorId, SEED.gaListenerId, DEFAULT_CREDENTIALS.tencentSecretId]) {
      expect(rest).toContain(id);
    }
    expect(lines.filter((l) => LISTENING.test(l))).toHaveLength(1);
    expect(e.settings).toMatchObject({ rateLimit: 9, gaPendingMs: 10 });
    expect(await new EmulatorAdmin(e.url).health()).toEqual({ ok: true });
  });

  it("prints only the listening line with --quiet", async () => {
    const lines: string[] = [];
    track(await runCli(["--quiet"], (l) => lines.push(l), { credentialEnv: {} }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(LISTENING);
  });

  it("rejects bad arguments with the usage text", () => {
    expect(() => parseCliArgs(["--port", "70000"])).toThrow(/usage: edgeconf-emulator/);
    expect(() => parseCliArgs(["--rate-limit"])).toThrow(/--rate-limit needs an integer/);
    expect(() => parseCliArgs(["--bogus"])).toThrow(/unknown argument --bogus/);
    expect(parseCliArgs(["--state", "s.json", "--seed", "7"])).toMatchObject({ stateFile: "s.json", seed: 7 });
  });

  // dist exists only after `npm run build`; EDGECONF_EMULATOR_CLI points the test at another build
  const built = process.env.EDGECONF_EMULATOR_CLI ?? join(__dirname, "../../../dist/emulator/cli.js");
  it.skipIf(!existsSync(built))("the built bin prints the listening line and exits 0 on SIGTERM", async () => {
    const child = spawn(process.execPath, [built, "--port", "0", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
    const first = await new Promise<string>((resolve, reject) => {
      let buf = "";
      child.stdout.on("data", (c) => {
        buf += c;
        if (buf.includes("\n")) resolve(buf.split("\n")[0]);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    expect(first).toMatch(LISTENING);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c));
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
  });
});
