// Small chart inputs shared by the plot tests: a Chinchilla-like law L = E + A/N^a + B/D^b.
export const law = (N: number, D: number) => 1.8172 + 477.8 / N ** 0.3473 + 2143.9 / D ** 0.3672;

export const budgets = [1e18, 1e19, 1e20];
export const sizes = [1e7, 3e7, 1e8, 3e8, 1e9];

export const isoflopPoints = budgets.flatMap((C) => sizes.map((N) => ({ compute: C, N, loss: law(N, C / (6 * N)) })));

export const scalingPoints = isoflopPoints.map((p) => ({ x: p.compute, y: p.loss, series: `${p.N}` }));
