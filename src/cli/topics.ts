/** `topics bootstrap`: creates the missing journal topics on KAFKA_BROKERS. */
import { ConfigError } from '../runtime/index.js';
import { bootstrapKafka, kafkaTopics } from '../system/index.js';
import { expectOnly, parseArgs } from './args.js';
import type { Command } from './command.js';
import { LOGGING, TOPIC_TABLE } from './env.js';

export const topicsBootstrap: Command = {
  name: 'topics bootstrap',
  summary: 'creates the missing journal topics (partitions, retention, replication, DLQs)',
  options: [],
  env: [...LOGGING, ...TOPIC_TABLE],
  logTo: 'stderr',
  async run({ settings }, argv) {
    expectOnly(parseArgs(argv), this);
    if (!settings.kafka_brokers) {
      throw new ConfigError(
        'topics bootstrap: KAFKA_BROKERS is not set; set it to the Kafka/Redpanda bootstrap servers (host:port[,host:port])',
      );
    }
    const created = await bootstrapKafka(settings, settings.kafka_brokers);
    const table = kafkaTopics(settings);
    process.stdout.write(
      created.length === 0
        ? `all ${table.length} journal topics exist; nothing created\n`
        : `created ${created.length} of ${table.length} journal topics:\n${created.map((t) => `  ${t}`).join('\n')}\n`,
    );
    return 0;
  },
};
