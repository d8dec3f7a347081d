// One test class at a time: some start PostgreSQL clusters and ipykernel processes, on 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
