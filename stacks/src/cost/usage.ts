/**
 * The usage an estimate assumes per environment (what list prices are multiplied by):
 * stated with every estimate, since a bill follows traffic, not only resources.
 */
export const USAGE = {
  dev: { warehouseHoursPerMonth: 60, lakeGb: 50, databaseGb: 20, natGb: 20, streamGb: 5, cdnGb: 5, logsGb: 5 },
  staging: {
    warehouseHoursPerMonth: 120,
    lakeGb: 200,
    databaseGb: 50,
    natGb: 100,
    streamGb: 50,
    cdnGb: 20,
    logsGb: 20,
  },
  prod: {
    warehouseHoursPerMonth: 360,
    lakeGb: 2000,
    databaseGb: 500,
    natGb: 1000,
    streamGb: 1000,
    cdnGb: 200,
    logsGb: 200,
  },
} as const;

export type Usage = (typeof USAGE)[keyof typeof USAGE];

export const HOURS_PER_MONTH = 730;
