/** Set on SIGTERM: readiness turns 503 and answered connections are closed instead of kept alive. */
export class ShutdownState {
  private drainingSince: Date | null = null;

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  begin(): void {
    this.drainingSince ??= new Date();
  }
}
