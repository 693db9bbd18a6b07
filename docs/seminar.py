# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Seminar: clustering
#
# After S. Yu. Papulin's seminar (papulin.study@yandex.ru), translated into English and run on
# **purecluster** alone: scikit-learn is not needed (nor imported) anywhere below, and every
# number printed is the one scikit-learn gives for the same call.
#
# Contents
#
# - Generating data
# - k-means (KMeans), and watching its iterations
# - Hierarchical clustering (AgglomerativeClustering)
# - Density-based clustering (DBSCAN)
# - Gaussian mixtures (GaussianMixture)
# - Clustering images of digits, judging the result, generating new images
#
# Libraries:

# %%
import matplotlib.pyplot as plt
import numpy as np

from purecluster import DBSCAN, AgglomerativeClustering, GaussianMixture, KMeans, metrics
from purecluster.datasets import make_blobs  # noqa: F401  (as in the original seminar)

# %matplotlib inline

# %%
from purecluster.plotting import plot_confusion_matrix

# %%
import warnings

warnings.filterwarnings("ignore")

# %%
from matplotlib.colors import ListedColormap

# %%
clr_map = ListedColormap(["blue", "red", "green", "yellow", "purple"])

# %% [markdown]
# ## Generating data

# %%
from purecluster import datasets

# %%
NUM_SAMPLES = 500
RANDOM_STATE = 12345

# %% [markdown]
# Five data sets: three separated classes, five blobs, two moons, two circles, and uniform noise.
# (The original drew the noise from NumPy's global generator; we seed it so the notebook gives the
# same pictures every time.)

# %%
datums = [
    (
        "merce",
        datasets.make_classification(
            n_samples=NUM_SAMPLES,
            n_features=2,
            n_redundant=0,
            n_informative=2,
            n_clusters_per_class=1,
            n_classes=3,
            class_sep=2,
            random_state=RANDOM_STATE,
        ),
    ),
    (
        "blobs",
        datasets.make_blobs(
            n_samples=NUM_SAMPLES,
            n_features=2,
            centers=5,
            cluster_std=1.5,
            random_state=RANDOM_STATE,
        ),
    ),
    ("moons", datasets.make_moons(n_samples=NUM_SAMPLES, noise=0.1, random_state=RANDOM_STATE)),
    (
        "circles",
        datasets.make_circles(
            n_samples=NUM_SAMPLES, factor=0.1, noise=0.1, random_state=RANDOM_STATE
        ),
    ),
    (
        "none",
        (np.random.RandomState(RANDOM_STATE).rand(NUM_SAMPLES, 2), np.zeros(NUM_SAMPLES)),
    ),
]

# %%
plt.figure(figsize=[14, 6])

for indx, (title, data) in enumerate(datums):
    X, labels = data

    plt.subplot(2, 5, indx + 1)
    plt.title("{}: initial".format(title))
    plt.scatter(X[:, 0], X[:, 1])
    plt.xlabel("$X_1$")
    plt.ylabel("$X_2$")
    plt.grid(True)

    plt.subplot(2, 5, indx + 1 + 5)
    plt.title("{}: true labels".format(title))
    plt.scatter(X[:, 0], X[:, 1], c=labels, cmap=clr_map)
    plt.xlabel("$X_1$")
    plt.ylabel("$X_2$")
    plt.grid(True)

plt.tight_layout()
plt.show()

# %% [markdown]
# ## k-means
#
# `KMeans` has scikit-learn's parameters and attributes.

# %%
X, labels = datums[1][1]

# %%
plt.title("Initial data")
plt.scatter(X[:, 0], X[:, 1])
plt.grid(True)
plt.show()

# %%
# Fitting
model = KMeans(n_clusters=5, max_iter=100, init="random", n_init=10, random_state=10)
model.fit(X)

# Cluster centroids
centroids = model.cluster_centers_

# Predicted clusters
labels_pred = model.labels_
# or
labels_pred = model.predict(X)

print("Inertia:", model.inertia_)
print("Centroids:\n{}".format(centroids))
print("Pred labels (first 5): {}".format(labels_pred[:5]))

# %%
# The predicted clusters
plt.figure(figsize=[6, 4])
plt.title("Number of clusters: 5")
plt.scatter(X[:, 0], X[:, 1], c=labels_pred, cmap=clr_map)
plt.scatter(
    centroids[:, 0],
    centroids[:, 1],
    marker="o",
    s=80,
    color="white",
    linewidth=3,
    edgecolors="black",
    zorder=5,
)
plt.grid(True)
plt.show()

# %% [markdown]
# Change `n_init` and see what changes.
#
# ### Iterations
#
# The original refitted the model with `max_iter=1, 2, ..., 9` to show the centroids moving.
# purecluster records every iteration of one fit instead (`trace=True`), and the animation is
# drawn from that record.

# %%
from IPython.display import HTML

from purecluster import plotting

model = KMeans(
    n_clusters=5,
    init=np.asarray([[2, 2], [1, 1], [3, 3], [4, 4], [5, 5]]),
    n_init=1,
    random_state=RANDOM_STATE,
    trace=True,
).fit(X)
print("iterations recorded:", len(model.trace_["inertia"]))

# %%
ani = plotting.animate_kmeans(X, model.trace_, interval=700)
HTML(ani.to_jshtml())

# %%
plotting.plot_kmeans_trace(X, model.trace_)
plt.show()

# %% [markdown]
# ### Different data sets

# %%
models = [
    KMeans(n_clusters=3, max_iter=300, init="random", random_state=RANDOM_STATE, n_init=1),
    KMeans(n_clusters=5, max_iter=300, init="random", random_state=RANDOM_STATE, n_init=1),
    KMeans(n_clusters=2, max_iter=300, init="random", random_state=RANDOM_STATE, n_init=1),
    KMeans(n_clusters=2, max_iter=300, init="random", random_state=RANDOM_STATE, n_init=1),
    KMeans(n_clusters=2, max_iter=300, init="random", random_state=RANDOM_STATE, n_init=1),
]


# %%
def plot_clusters(models):
    plt.figure(figsize=[14, 9])
    for indx, (title, data) in enumerate(datums):
        X, labels = data
        models[indx].fit(X)

        if hasattr(models[indx], "labels_"):
            labels_pred = models[indx].labels_
        elif hasattr(models[indx], "predict"):
            labels_pred = models[indx].predict(X)
        else:
            raise Exception()

        plt.subplot(3, 5, indx + 1)
        plt.title("{}: initial".format(title))
        plt.scatter(X[:, 0], X[:, 1])
        plt.xlabel("$X_1$")
        plt.ylabel("$X_2$")
        plt.grid(True)

        plt.subplot(3, 5, indx + 1 + 5)
        plt.title("{}: true labels".format(title))
        plt.scatter(X[:, 0], X[:, 1], c=labels, cmap=clr_map)
        plt.xlabel("$X_1$")
        plt.ylabel("$X_2$")
        plt.grid(True)

        plt.subplot(3, 5, indx + 1 + 10)
        plt.title("{}: pred labels".format(title))
        plt.scatter(X[:, 0], X[:, 1], c=labels_pred, cmap=clr_map)
        plt.xlabel("$X_1$")
        plt.ylabel("$X_2$")
        plt.grid(True)

    plt.tight_layout()
    plt.show()


# %%
# %%timeit -n 1 -r 1
plot_clusters(models)

# %% [markdown]
# The same grid is one call of `purecluster.plotting.plot_clusters`, which also times each fit
# and draws DBSCAN's noise in grey:

# %%
fig, axes, summary = plotting.plot_clusters(models, datums)
plt.show()
for row in summary:
    print(f"{row['name']:8s} clusters: {row['n_clusters']}  fit: {row['fit_seconds'] * 1e3:.1f} ms")

# %% [markdown]
# ## Hierarchical clustering

# %%
models = [
    AgglomerativeClustering(n_clusters=3, metric="euclidean", linkage="average"),
    AgglomerativeClustering(n_clusters=5, metric="euclidean", linkage="complete"),
    AgglomerativeClustering(n_clusters=2, metric="euclidean", linkage="single"),
    AgglomerativeClustering(n_clusters=2, metric="euclidean", linkage="single"),
    AgglomerativeClustering(n_clusters=2, metric="euclidean", linkage="average"),
]

# %%
# %%timeit -n 1 -r 1
plot_clusters(models)

# %% [markdown]
# The tree behind the blobs' clustering, and the merges it made:

# %%
model = AgglomerativeClustering(n_clusters=5, linkage="complete", trace=True).fit(datums[1][1][0])
plotting.plot_dendrogram(model, truncate_lastp=30)
plt.show()

# %% [markdown]
# ## Density-based clustering

# %%
models = [
    DBSCAN(min_samples=4, eps=0.5, metric="euclidean"),
    DBSCAN(min_samples=4, eps=0.5, metric="euclidean"),
    DBSCAN(min_samples=10, eps=0.2, metric="euclidean"),
    DBSCAN(min_samples=4, eps=0.3, metric="euclidean"),
    DBSCAN(min_samples=4, eps=0.3, metric="euclidean"),
]

# %%
# %%timeit -n 1 -r 1
plot_clusters(models)

# %% [markdown]
# Core, border and noise points of the moons, and the order in which DBSCAN grew the clusters:

# %%
moons = datums[2][1][0]
model = DBSCAN(min_samples=10, eps=0.2, trace=True).fit(moons)
plotting.plot_dbscan_roles(moons, model.trace_)
plt.show()
ani = plotting.animate_dbscan(moons, model.trace_)
HTML(ani.to_jshtml())

# %% [markdown]
# ## Gaussian mixture

# %%
models = [
    GaussianMixture(n_components=3, n_init=10),
    GaussianMixture(n_components=5, n_init=10),
    GaussianMixture(n_components=2, n_init=10),
    GaussianMixture(n_components=2, n_init=10),
    GaussianMixture(n_components=2, n_init=10),
]

# %%
# %%timeit -n 1 -r 1
plot_clusters(models)

# %% [markdown]
# The EM iterations on the blobs: ellipses of each component and the lower bound. A random
# start (one data point per component) leaves EM more to do than the default k-means start.

# %%
model = GaussianMixture(
    n_components=5, init_params="random_from_data", random_state=0, trace=True
).fit(X)
plotting.plot_gmm_trace(X, model.trace_)
plt.show()
ani = plotting.animate_gmm(X, model.trace_)
HTML(ani.to_jshtml())

# %% [markdown]
# ## Clustering images of digits

# %%
RANDOM_STATE = 12345
NUM_CLUSTERS = 10
NUM_DISPLAY_IMAGES = 10

# %%
# Loading the data
digits = datasets.load_digits()

IMAGE_INDX = 3

# One image
print("Image:")
plt.imshow(digits.images[IMAGE_INDX])
plt.show()
print("Feature matrix:\n", digits.images[IMAGE_INDX])
print("\nTarget value:", digits.target[IMAGE_INDX])

# %%
NUM_CLASSES = len(digits.target_names)
NUM_CLASSES

# %% [markdown]
# ### Fitting

# %%
# Flattening the images
# Note: digits.data already holds the flattened images
X = digits.images.reshape(len(digits.images), -1)
labels_true = digits.target

# Clustering
model = KMeans(n_clusters=NUM_CLUSTERS, n_init=10, random_state=RANDOM_STATE)
model.fit(X)

# The clusters found
labels_pred = model.labels_
labels_pred[:5]

# %% [markdown]
# ### Cluster centres

# %%
model.n_clusters

# %%
plt.figure(figsize=[14, 4])
for i in range(model.n_clusters):
    plt.subplot(1, model.n_clusters, i + 1)
    plt.title(i)
    plt.imshow(model.cluster_centers_[i].reshape(8, 8))
    plt.axis("off")
plt.show()

# %% [markdown]
# ### Images in each cluster

# %%
for label in range(NUM_CLUSTERS):
    # Indices of the members of cluster `label`
    labels_pred__indices = np.asarray(labels_pred == label).nonzero()[0]

    # Ten of them, chosen at random
    np.random.seed(RANDOM_STATE)
    labels_pred___indices_ = np.random.choice(
        labels_pred__indices, NUM_DISPLAY_IMAGES, replace=False
    )

    # Showing them
    print("Cluster label:", label)
    plt.figure(figsize=[14, 4])
    for i in range(NUM_DISPLAY_IMAGES):
        plt.subplot(1, NUM_DISPLAY_IMAGES, i + 1)
        plt.title(labels_pred___indices_[i])
        plt.imshow(digits.images[labels_pred___indices_[i]])
        plt.axis("off")
    plt.show()

# %% [markdown]
# ### Mistakes

# %%
true_indx = 4
pred_indx = 8

true__indices = np.asarray(labels_true == true_indx)
pred__indices = np.asarray(labels_pred == pred_indx)

mismatched__indices = np.asarray(pred__indices != true__indices).nonzero()[0]

print("Total errors: {} out of {} samples".format(mismatched__indices.size, labels_true.size))

np.random.seed(RANDOM_STATE)
mismatched__indices_ = np.random.choice(mismatched__indices, NUM_DISPLAY_IMAGES, replace=False)

# The chosen mistakes
plt.figure(figsize=[14, 4])
for i in range(NUM_DISPLAY_IMAGES):
    image_indx = mismatched__indices_[i]
    plt.subplot(1, NUM_DISPLAY_IMAGES, i + 1)
    plt.title(
        "{}\nTrue: {}\nPred: {}".format(
            image_indx, labels_true[image_indx], labels_pred[image_indx]
        )
    )
    plt.imshow(digits.images[image_indx])
    plt.axis("off")
plt.show()

# %% [markdown]
# ### Metrics

# %%
from purecluster.metrics import contingency_matrix

# %%
contingency_matrix(labels_true, labels_pred)

# %%
# The confusion matrix
plot_confusion_matrix(labels_true, labels_pred, np.array(list(range(NUM_CLUSTERS))), figsize=[8, 8])
plt.show()

# %% [markdown]
# Each cluster is given the true class most frequent in it (ties go to the smallest class, as
# `scipy.stats.mode` does in the original). `purecluster.metrics.match_labels` does this, and can
# also find the best one-to-one assignment (`method="hungarian"`).

# %%
from purecluster.metrics import match_labels

# %%
# Matching predicted clusters to true classes
labels_pred__matched = match_labels(labels_true, labels_pred, method="majority")

# %%
# The confusion matrix after matching
plot_confusion_matrix(
    labels_true, labels_pred__matched, np.array(list(range(NUM_CLASSES))), figsize=[8, 8]
)
plt.show()

# %%
print("ARI:", metrics.adjusted_rand_score(labels_true, labels_pred))
print("AMI:", metrics.adjusted_mutual_info_score(labels_true, labels_pred))
print("V-measure:", metrics.v_measure_score(labels_true, labels_pred))

# %% [markdown]
# ## Generating images

# %%
NUM_CLUSTERS = 20

# Clustering
model = GaussianMixture(n_components=NUM_CLUSTERS, n_init=10, random_state=RANDOM_STATE)
model.fit(X)

# The clusters found
labels_pred = model.predict(X)
labels_pred[:5]

# %%
# The probability of each sample belonging to each cluster
model.predict_proba(X)[:5]

# %%
# Cluster centres
plt.figure(figsize=[14, 4])
for i in range(model.n_components):
    plt.subplot(1, model.n_components, i + 1)
    plt.title(i)
    plt.imshow(model.means_[i].reshape(8, 8))
    plt.axis("off")
plt.show()

# %%
# The confusion matrix
plot_confusion_matrix(labels_true, labels_pred, np.array(list(range(NUM_CLUSTERS))), figsize=[8, 8])
plt.show()

# %%
# Matching predicted clusters to true classes
labels_pred__matched = match_labels(labels_true, labels_pred, method="majority")

# %%
# The confusion matrix after matching
plot_confusion_matrix(
    labels_true, labels_pred__matched, np.array(list(range(NUM_CLASSES))), figsize=[8, 8]
)
plt.show()

# %%
NUM_SAMPLES = 10

# Generating images
features, clusters = model.sample(n_samples=NUM_SAMPLES)
features = features.astype("int8")

print(f"Clusters: {clusters}")
print(f"Feature size: {features.shape}")

# %%
# Pixel values are limited to 0..16
features[features > 16] = 16
features[features < 0] = 0

# %%
# The generated images
plt.figure(figsize=[14, 4])
for i in range(NUM_SAMPLES):
    plt.subplot(1, NUM_SAMPLES, i + 1)
    plt.imshow(features[i].reshape(8, 8))
    plt.axis("off")
plt.show()

# %%
CLUSTER_LABEL = 1

# Images from one component only
features = np.random.multivariate_normal(
    mean=model.means_[CLUSTER_LABEL], cov=model.covariances_[CLUSTER_LABEL], size=NUM_SAMPLES
).astype("int8")

features[features > 16] = 16
features[features < 0] = 0

# %%
plt.figure(figsize=[14, 4])
for i in range(NUM_SAMPLES):
    plt.subplot(1, NUM_SAMPLES, i + 1)
    plt.imshow(features[i].reshape(8, 8))
    plt.axis("off")
plt.show()

# %% [markdown]
# ## Sources
#
# - scikit-learn's user guide, "Clustering"
# - Python Data Science Handbook by Jake VanderPlas (section on Gaussian mixtures)
