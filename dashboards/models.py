"""The read side: KPI targets, stored KPI snapshots and DfE benchmarks.
Filled by the KPI engine issue."""
