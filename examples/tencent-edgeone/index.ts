import { program } from "./program";

export const outputs = program();
