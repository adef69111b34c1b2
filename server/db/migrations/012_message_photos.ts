import type { Kysely } from 'kysely';

/**
 * Photos in chat. A message names its photo by the file's SHA-256 (`photo_hash`, indexed: reading
 * a photo asks whether the reader may see any message that names it) and keeps what shows before
 * the file (`photo`, JSON: type, size, preview). `photos` lists the files stored, with the type
 * their bytes were found to be; a row is written only after its file is stored, so a row means
 * the file is there and a message may name it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('photo', 'text').execute();
  await db.schema.alterTable('messages').addColumn('photo_hash', 'text').execute();
  await db.schema.createIndex('messages_photo_hash').on('messages').column('photo_hash').execute();
  await db.schema
    .createTable('photos')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('photos').execute();
  await db.schema.dropIndex('messages_photo_hash').execute();
  await db.schema.alterTable('messages').dropColumn('photo_hash').execute();
  await db.schema.alterTable('messages').dropColumn('photo').execute();
}
