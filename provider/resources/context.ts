import type { HuaweiClient } from "../clients/huawei";
import type { TencentClient } from "../clients/tencent";

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

/** What a resource's CRUD code may use: the clients (built lazily from config/env) and the engine log. */
export interface ProviderContext {
  tencent(): TencentClient;
  huawei(): HuaweiClient;
  log: Log;
}

/** One create/read/update/delete: its whole-operation deadline (epoch ms) and a name for messages. */
export interface OperationContext {
  deadline: number;
  description: string;
  timeoutSeconds: number;
}
