using System.Globalization;
using System.Text.Json;
using EdgeGovernor.Simulator.PolicyEvaluation;

namespace EdgeGovernor.Simulator.Tests.Commands;

[CollectionDefinition("console", DisableParallelization = true)]
public sealed class ConsoleCollection;
