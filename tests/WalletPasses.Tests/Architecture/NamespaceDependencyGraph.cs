using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace WalletPasses.Tests.Architecture;

/// <summary>
/// Which folder (namespace under the assembly's root) uses which, read from the compiled assembly: every type a
/// folder's types name in their signatures, base types, attributes, locals and method bodies (IL tokens). Compiler-made
/// types (closures, state machines, source-generated partials) count for the type that declares them, so a lambda's
/// dependency is its declaring folder's. Reading the IL rather than the source sees through implicit namespace lookups
/// (<c>Members.Member</c> inside <c>WalletPasses.Apple</c> needs no using directive).
/// </summary>
public sealed class NamespaceDependencyGraph
{
    private NamespaceDependencyGraph(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlySet<string>>> edges) => Edges = edges;

    /// <summary>Folder → used folder → the using types that cause the edge (for the failure message).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlySet<string>>> Edges { get; }

    public IEnumerable<string> Folders => Edges.Keys;

    public IEnumerable<string> Uses(string folder) => Edges.TryGetValue(folder, out var used) ? used.Keys : [];

    /// <summary>
    /// The folder of a namespace: its first segment under <paramref name="rootNamespace"/> (WalletPasses.Apple.Apns → Apple);
    /// the global namespace (top-level statements) is <see cref="Program"/>, the root namespace itself <see cref="Root"/>.
    /// </summary>
    public static string? FolderOf(string typeNamespace, string rootNamespace)
    {
        if (typeNamespace.Length == 0)
        {
            return Program;
        }

        if (typeNamespace == rootNamespace)
        {
            return Root;
        }

        if (!typeNamespace.StartsWith(rootNamespace + ".", StringComparison.Ordinal))
        {
            return null; // generated helpers (System.Text.RegularExpressions.Generated, Microsoft.CodeAnalysis…)
        }

        var rest = typeNamespace[(rootNamespace.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    public const string Program = "Program";

    public const string Root = "(root namespace)";

    public static NamespaceDependencyGraph Read(string assemblyPath, string rootNamespace)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var folders = new Dictionary<TypeDefinitionHandle, (string? Folder, string Name)>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var outermost = Outermost(reader, handle);
            var definition = reader.GetTypeDefinition(outermost);
            var name = reader.GetString(definition.Name);
            var typeNamespace = reader.GetString(definition.Namespace);
            // Compiler-made global types (<PrivateImplementationDetails>, anonymous types, collection-expression
            // wrappers) are shared helpers of every folder, not part of the top-level Program.
            var folder = typeNamespace.Length == 0 && name.StartsWith('<') ? null : FolderOf(typeNamespace, rootNamespace);
            folders[handle] = (folder, name);
        }

        var edges = new Dictionary<string, Dictionary<string, HashSet<string>>>();
        var collector = new TypeCollector(reader);
        foreach (var handle in reader.TypeDefinitions)
        {
            var (from, name) = folders[handle];
            if (from is null)
            {
                continue;
            }

            var used = new HashSet<TypeDefinitionHandle>();
            collector.CollectType(handle, pe, used);
            foreach (var target in used)
            {
                var to = folders[target].Folder;
                if (to is null || to == from)
                {
                    continue;
                }

                if (!edges.TryGetValue(from, out var targets))
                {
                    edges[from] = targets = [];
                }

                if (!targets.TryGetValue(to, out var causes))
                {
                    targets[to] = causes = [];
                }

                causes.Add(name + " → " + folders[target].Name);
            }

            edges.TryAdd(from, []);
        }

        return new NamespaceDependencyGraph(edges.ToDictionary(
            e => e.Key,
            e => (IReadOnlyDictionary<string, IReadOnlySet<string>>)e.Value.ToDictionary(t => t.Key, t => (IReadOnlySet<string>)t.Value)));
    }

    /// <summary>
    /// The cycles among <paramref name="folders"/>: for each group of folders that reach each other (strongly connected
    /// component), the shortest cycle through each of its folders, without repeats.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> CyclesAmong(IReadOnlySet<string> folders)
    {
        var cycles = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>();
        foreach (var component in StronglyConnectedComponents(folders).Where(c => c.Count > 1))
        {
            foreach (var start in component.Order(StringComparer.Ordinal))
            {
                var cycle = CycleThrough(start, component);
                var rotations = Enumerable.Range(0, cycle.Count - 1).Select(i => string.Join(" ", cycle.Skip(i).Take(cycle.Count - 1 - i).Concat(cycle.Take(i))));
                if (rotations.All(r => !seen.Contains(r)))
                {
                    seen.Add(rotations.First());
                    cycles.Add(cycle);
                }
            }
        }

        return cycles;
    }

    private List<HashSet<string>> StronglyConnectedComponents(IReadOnlySet<string> folders)
    {
        // Tarjan's algorithm; the graph has a few dozen nodes, so recursion depth is no concern.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var components = new List<HashSet<string>>();
        void Visit(string folder)
        {
            index[folder] = low[folder] = index.Count;
            stack.Push(folder);
            onStack.Add(folder);
            foreach (var next in Uses(folder).Where(folders.Contains))
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Visit(next);
                    low[folder] = Math.Min(low[folder], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[folder] = Math.Min(low[folder], nextIndex);
                }
            }

            if (low[folder] == index[folder])
            {
                var component = new HashSet<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != folder);
                components.Add(component);
            }
        }

        foreach (var folder in folders.Order(StringComparer.Ordinal).Where(f => !index.ContainsKey(f)))
        {
            Visit(folder);
        }

        return components;
    }

    /// <summary>A shortest path from <paramref name="start"/> back to itself, staying inside its component.</summary>
    private List<string> CycleThrough(string start, HashSet<string> component)
    {
        var previous = new Dictionary<string, string>();
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var folder = queue.Dequeue();
            foreach (var next in Uses(folder).Where(component.Contains).Order(StringComparer.Ordinal))
            {
                if (next == start)
                {
                    var path = new List<string> { start };
                    for (var at = folder; at != start; at = previous[at])
                    {
                        path.Insert(1, at);
                    }

                    path.Add(start);
                    return path;
                }

                if (previous.TryAdd(next, folder))
                {
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException("A strongly connected component always has a cycle.");
    }

    private static TypeDefinitionHandle Outermost(MetadataReader reader, TypeDefinitionHandle handle)
    {
        while (true)
        {
            var declaring = reader.GetTypeDefinition(handle).GetDeclaringType();
            if (declaring.IsNil)
            {
                return handle;
            }

            handle = declaring;
        }
    }

    /// <summary>Collects the assembly's own types named by a type's metadata and IL.</summary>
    private sealed class TypeCollector(MetadataReader reader) : ISignatureTypeProvider<ImmutableArray<TypeDefinitionHandle>, object?>
    {
        private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value, o => o.OperandType);

        public void CollectType(TypeDefinitionHandle handle, PEReader pe, HashSet<TypeDefinitionHandle> used)
        {
            var type = reader.GetTypeDefinition(handle);
            AddEntity(type.BaseType, used);
            foreach (var implementation in type.GetInterfaceImplementations())
            {
                AddEntity(reader.GetInterfaceImplementation(implementation).Interface, used);
            }

            AddAttributes(type.GetCustomAttributes(), used);
            AddGenericParameters(type.GetGenericParameters(), used);
            foreach (var fieldHandle in type.GetFields())
            {
                var field = reader.GetFieldDefinition(fieldHandle);
                used.UnionWith(field.DecodeSignature(this, null));
                AddAttributes(field.GetCustomAttributes(), used);
            }

            foreach (var propertyHandle in type.GetProperties())
            {
                var property = reader.GetPropertyDefinition(propertyHandle);
                AddSignature(property.DecodeSignature(this, null), used);
                AddAttributes(property.GetCustomAttributes(), used);
            }

            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                AddSignature(method.DecodeSignature(this, null), used);
                AddAttributes(method.GetCustomAttributes(), used);
                AddGenericParameters(method.GetGenericParameters(), used);
                foreach (var parameter in method.GetParameters())
                {
                    AddAttributes(reader.GetParameter(parameter).GetCustomAttributes(), used);
                }

                if (method.RelativeVirtualAddress != 0)
                {
                    AddBody(pe.GetMethodBody(method.RelativeVirtualAddress), used);
                }
            }
        }

        private void AddBody(MethodBodyBlock body, HashSet<TypeDefinitionHandle> used)
        {
            if (!body.LocalSignature.IsNil)
            {
                foreach (var local in reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null))
                {
                    used.UnionWith(local);
                }
            }

            foreach (var region in body.ExceptionRegions)
            {
                AddEntity(region.CatchType, used);
            }

            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                short value = il.ReadByte();
                if (value == 0xFE)
                {
                    value = unchecked((short)(0xFE00 | il.ReadByte()));
                }

                switch (OperandTypes[value])
                {
                    case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                        AddEntity(MetadataTokens.EntityHandle(il.ReadInt32()), used);
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    case OperandType.InlineSwitch:
                        var targets = il.ReadInt32(); // read first: "Offset += 4 * ReadInt32()" would add to the offset before the read
                        il.Offset += 4 * targets;
                        break;
                    default: // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR
                        il.Offset += 4;
                        break;
                }
            }
        }

        private void AddAttributes(CustomAttributeHandleCollection attributes, HashSet<TypeDefinitionHandle> used)
        {
            foreach (var attribute in attributes)
            {
                AddEntity(reader.GetCustomAttribute(attribute).Constructor, used);
            }
        }

        private void AddGenericParameters(GenericParameterHandleCollection parameters, HashSet<TypeDefinitionHandle> used)
        {
            foreach (var parameter in parameters)
            {
                foreach (var constraint in reader.GetGenericParameter(parameter).GetConstraints())
                {
                    AddEntity(reader.GetGenericParameterConstraint(constraint).Type, used);
                }
            }
        }

        private static void AddSignature(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature, HashSet<TypeDefinitionHandle> used)
        {
            used.UnionWith(signature.ReturnType);
            foreach (var parameter in signature.ParameterTypes)
            {
                used.UnionWith(parameter);
            }
        }

        private void AddEntity(EntityHandle handle, HashSet<TypeDefinitionHandle> used)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    used.Add((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeSpecification:
                    used.UnionWith(reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null));
                    break;
                case HandleKind.MethodDefinition:
                    used.Add(reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.FieldDefinition:
                    used.Add(reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                    break;
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    AddEntity(member.Parent, used);
                    if (member.GetKind() == MemberReferenceKind.Method)
                    {
                        AddSignature(member.DecodeMethodSignature(this, null), used);
                    }
                    else
                    {
                        used.UnionWith(member.DecodeFieldSignature(this, null));
                    }

                    break;
                case HandleKind.MethodSpecification:
                    var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    AddEntity(specification.Method, used);
                    foreach (var argument in specification.DecodeSignature(this, null))
                    {
                        used.UnionWith(argument);
                    }

                    break;
                default: // TypeReference: another assembly's type
                    break;
            }
        }

        public ImmutableArray<TypeDefinitionHandle> GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) => [handle];

        public ImmutableArray<TypeDefinitionHandle> GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) => [];

        public ImmutableArray<TypeDefinitionHandle> GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            metadata.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public ImmutableArray<TypeDefinitionHandle> GetGenericInstantiation(ImmutableArray<TypeDefinitionHandle> genericType, ImmutableArray<ImmutableArray<TypeDefinitionHandle>> typeArguments) =>
            [.. genericType, .. typeArguments.SelectMany(a => a)];

        public ImmutableArray<TypeDefinitionHandle> GetArrayType(ImmutableArray<TypeDefinitionHandle> elementType, ArrayShape shape) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetSZArrayType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetByReferenceType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetPointerType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetPinnedType(ImmutableArray<TypeDefinitionHandle> elementType) => elementType;

        public ImmutableArray<TypeDefinitionHandle> GetModifiedType(ImmutableArray<TypeDefinitionHandle> modifier, ImmutableArray<TypeDefinitionHandle> unmodifiedType, bool isRequired) => unmodifiedType;

        public ImmutableArray<TypeDefinitionHandle> GetFunctionPointerType(MethodSignature<ImmutableArray<TypeDefinitionHandle>> signature) =>
            [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];

        public ImmutableArray<TypeDefinitionHandle> GetGenericMethodParameter(object? genericContext, int index) => [];

        public ImmutableArray<TypeDefinitionHandle> GetGenericTypeParameter(object? genericContext, int index) => [];

        public ImmutableArray<TypeDefinitionHandle> GetPrimitiveType(PrimitiveTypeCode typeCode) => [];
    }
}
