import { createEmulatorServer, type EmulatorServer, type EmulatorServerOptions } from "../../../emulator/core/server";
import { DEFAULT_SETTINGS } from "../../../emulator/core/contract";
import { fakeGa, fakeOrganization, fakeTeo } from "./fakeServices";

export type Harness = Awaited<ReturnType<typeof startFake>>;

/** A core server over the fake modules on 127.0.0.1:0, with a clock fixed to the start time unless given. */
export async function startFake(opts: Partial<EmulatorServerOptions> = {}) {
  const teo = fakeTeo();
  const organization = fakeOrganization();
  const ga = fakeGa();
  const logs: string[] = [];
  const fixedNow = Date.now();
  const emu: EmulatorServer = createEmulatorServer({
    tencent: [teo, organization],
    huawei: [ga],
    settings: { ...DEFAULT_SETTINGS },
    env: { now: () => fixedNow },
    log: (l) => logs.push(l),
    ...opts,
  });
  const port = await emu.listen();
  return { emu, teo, organization, ga, logs, port, url: `http://127.0.0.1:${port}`, fixedNow, creds: emu.credentials };
}
