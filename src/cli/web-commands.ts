// `chancery web …`: the web app's releases (docs/web-integrity.md).
import type { Command } from 'commander';

export function registerWebCommands(program: Command): void {
  program.command('web').description("the web app: sign and publish a release of its bundle (organisation root)");
}
