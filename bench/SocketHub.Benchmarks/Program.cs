using BenchmarkDotNet.Running;

// Every benchmark class in this assembly; pass BenchmarkDotNet's own arguments after `--`,
// e.g. `--filter '*Fernet*' --job short`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
