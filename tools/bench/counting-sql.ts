import type { QueryOptions, Sql, SqlExecutor, SqlResult } from '@eenplan/event-store';

/**
 * A Sql that counts what goes over the wire, to say where time goes: statements (inside and
 * outside transactions) and transactions (each adds a BEGIN and a COMMIT round trip).
 */
export class CountingSql implements Sql {
  readonly driver: Sql['driver'];
  statements = 0;
  transactions = 0;

  constructor(private readonly inner: Sql) {
    this.driver = inner.driver;
  }

  /** Round trips to the server so far: every statement plus BEGIN and COMMIT per transaction. */
  get roundTrips(): number {
    return this.statements + 2 * this.transactions;
  }

  reset(): void {
    this.statements = 0;
    this.transactions = 0;
  }

  query<Row = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<SqlResult<Row>> {
    this.statements++;
    return this.inner.query<Row>(text, params, options);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.transactions++;
    return this.inner.transaction((tx) =>
      work({
        query: <Row>(text: string, params?: readonly unknown[], options?: QueryOptions) => {
          this.statements++;
          return tx.query<Row>(text, params, options);
        },
      }),
    );
  }

  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.inner.listen(channel, onNotify);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
