import { createECDH } from 'node:crypto';
import { decrypt } from 'http_ece';
import { describe, expect, it } from 'vitest';

// RFC 8291, Appendix A: the stand-in push service decrypts as a browser does, checked on the RFC's own example first.
const RFC = {
  uaPrivate: 'q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94',
  uaPublic: 'BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4',
  authSecret: 'BTBZMqHH6r4Tts7J_aSIgg',
  body: 'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
};

describe('the push stand-in\'s decryption', () => {
  it('decrypts RFC 8291\'s example to its watermelon', () => {
    const receiver = createECDH('prime256v1');
    receiver.setPrivateKey(Buffer.from(RFC.uaPrivate, 'base64url'));
    expect(receiver.getPublicKey().toString('base64url')).toBe(RFC.uaPublic);
    const plaintext = decrypt(Buffer.from(RFC.body, 'base64url'), { version: 'aes128gcm', privateKey: receiver, authSecret: Buffer.from(RFC.authSecret, 'base64url') });
    expect(plaintext.toString('utf8')).toBe('When I grow up, I want to be a watermelon');
  });
});
