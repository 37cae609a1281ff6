using EdgeGovernor.Protocol.Contracts;

namespace EdgeGovernor.Firmware.Hosting;

/// <summary>
/// Opens the contract journal for <see cref="ContractHost"/>, which owns it (disposes it when it is replaced or the
/// host is disposed): at start (<paramref name="reopening"/> false: the file is created when missing) and after a
/// write failed (true: the file must be there, whole; a missing one is an error, never a new empty journal).
/// </summary>
/// <param name="reopening">True when reopening after a failure.</param>
/// <returns>The journal, its records read.</returns>
/// <exception cref="IOException">It cannot be opened or read (or is missing while reopening).</exception>
/// <exception cref="InvalidDataException">It is damaged.</exception>
internal delegate IContractJournal ContractJournalOpen(bool reopening);
