//! `vitrine completions SHELL` and `vitrine manpage`: shell completions and the manual page, made from the command line's own definition so they never drift from `--help`; the package installs both.

use std::io::Write;

/// Completions for `shell`, written to `out`.
pub fn completions(mut command: clap::Command, shell: clap_complete::Shell, out: &mut dyn Write) {
    let name = command.get_name().to_string();
    clap_complete::generate(shell, &mut command, name, out);
}

/// The manual page, as roff, written to `out`.
pub fn manpage(command: clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    clap_mangen::Man::new(command).render(out)
}
