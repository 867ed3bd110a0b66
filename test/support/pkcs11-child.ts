/**
 * One process with its own PKCS#11 key store on the test token (test/contract/pkcs11-key-store.int.spec.ts
 * starts several): `node -r ts-node/register/transpile-only pkcs11-child.ts <command> ...`, with
 * PKCS11_MODULE, PKCS11_TOKEN_LABEL, PKCS11_PIN and SOFTHSM2_CONF in the environment. Prints one JSON line.
 *
 * - `race <streamId> <purpose> <startAtMs>`: at that instant, seals a text under the stream's key and
 *   MACs `x` under the purpose's key at once; prints the sealed value and the MAC.
 * - `destroy <streamId>`: erases the stream's key.
 */
import { Pkcs11KeyStore } from '../../libs/security/src/sealing/pkcs11-key-store';

async function main(): Promise<void> {
  const [command, streamId, purpose, startAt] = process.argv.slice(2);
  const store = await Pkcs11KeyStore.open({
    module: process.env.PKCS11_MODULE!,
    token: { label: process.env.PKCS11_TOKEN_LABEL! },
    pin: process.env.PKCS11_PIN!,
    settleMs: Number(process.env.PKCS11_SETTLE_MS ?? 2000),
  });
  try {
    if (command === 'race') {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
      const text = `from process ${process.pid}`;
      const [sealed, mac] = await Promise.all([
        store.seal(streamId!, Buffer.from(text), Buffer.from('e')),
        store.mac(purpose!, Buffer.from('x')),
      ]);
      if (sealed === 'erased') throw new Error('erased');
      const b64 = (b: Buffer) => b.toString('base64');
      process.stdout.write(
        `${JSON.stringify({ text, sealed: { iv: b64(sealed.iv), ct: b64(sealed.ct), tag: b64(sealed.tag) }, mac: mac.toString('hex') })}\n`,
      );
    } else if (command === 'destroy') {
      process.stdout.write(`${JSON.stringify({ destroyed: await store.destroy(streamId!) })}\n`);
    } else {
      throw new Error(`unknown command ${command}`);
    }
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
