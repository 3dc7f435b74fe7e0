import { AsyncLocalStorage } from "node:async_hooks";
import { log } from "../log";

type Task = () => Promise<void>;

// The tasks of the transaction whose work is running now (the innermost one).
const pending = new AsyncLocalStorage<Task[]>();

/**
 * Runs one transaction and, only once it has committed, the tasks its work queued
 * with afterCommit, in order. Used by withWorkspace and the system paths, so a
 * task never runs for a change that rolled back, and nothing slow (an SMTP
 * server) runs while the transaction holds its locks.
 */
export async function runCommitting<T>(transaction: () => Promise<T>): Promise<T> {
  const tasks: Task[] = [];
  const result = await pending.run(tasks, transaction);
  for (const task of tasks) {
    // The change is made: a task's failure is logged (by name, nothing it carried), never the action's.
    await task().catch((error: unknown) => log.error({ error: error instanceof Error ? error.name : typeof error }, "after-commit task failed"));
  }
  return result;
}

/**
 * Queues work for when the current transaction commits. Called outside a
 * transaction it refuses: the caller would otherwise act on a change that may
 * never land. A task handles its own failures; the change is already made.
 */
export function afterCommit(task: Task): void {
  const tasks = pending.getStore();
  if (!tasks) throw new Error("afterCommit called outside a transaction");
  tasks.push(task);
}
