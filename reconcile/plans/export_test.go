package plans

// MaxPlanBytes is the size cap the external tests check.
const MaxPlanBytes = maxPlanBytes
