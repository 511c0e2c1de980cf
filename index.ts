// The demo program (`Pulumi.yaml` at the repository root). `npm start` runs it against the embedded emulator.
import { demoProgram } from "./demo/program";

export const outputs = demoProgram();
